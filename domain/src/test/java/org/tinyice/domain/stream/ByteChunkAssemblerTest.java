package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteChunkAssemblerTest {

    private static final long SECOND = 1_000_000_000L;

    private final StreamRing ring = new StreamRing(1024);

    private List<byte[]> published() {
        List<byte[]> chunks = new ArrayList<>();
        for (long s = 0; s < ring.head(); s++) {
            chunks.add(ring.slot(s).bytes());
        }
        return chunks;
    }

    private static byte[] concat(List<byte[]> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toByteArray();
    }

    @Test
    void bytesComeOutUnchangedAndInOrderWhateverTheReadSizes() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(1000, SECOND));
        Random random = new Random(42);
        byte[] input = new byte[50_000];
        random.nextBytes(input);
        int position = 0;
        while (position < input.length) {
            int length = Math.min(input.length - position, 1 + random.nextInt(3000));
            assembler.accept(input, position, length, 0);
            position += length;
        }
        assembler.flush();
        assertArrayEquals(input, concat(published()));
    }

    @Test
    void aChunkIsPublishedEachTimeTargetBytesAreGathered() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(4, SECOND));
        byte[] input = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assembler.accept(input, 0, 3, 0);
        assertEquals(0, ring.head(), "3 of 4 bytes: nothing yet");
        assembler.accept(input, 3, 7, 0);

        List<byte[]> chunks = published();
        assertEquals(2, chunks.size());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, chunks.get(0));
        assertArrayEquals(new byte[] {5, 6, 7, 8}, chunks.get(1));
    }

    @Test
    void onlyTheGivenRangeOfTheInputIsTaken() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(2, SECOND));
        assembler.accept(new byte[] {9, 1, 2, 9}, 1, 2, 0);
        assertArrayEquals(new byte[] {1, 2}, ring.slot(0).bytes());
        assertEquals(1, ring.head());
    }

    @Test
    void aPartialChunkIsPublishedOnceItsFirstByteHasWaitedMaxDelay() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(1000, 100));
        assembler.accept(new byte[] {1, 2}, 0, 2, 1_000);
        assembler.accept(new byte[] {3}, 0, 1, 1_099);
        assertEquals(0, ring.head(), "99 ns after the first byte: still gathering");

        assembler.accept(new byte[0], 0, 0, 1_100);
        assertEquals(1, ring.head());
        assertArrayEquals(new byte[] {1, 2, 3}, ring.slot(0).bytes());

        // the age counts from the first byte of the next chunk, not from the last publication
        assembler.accept(new byte[] {4}, 0, 1, 5_000);
        assertEquals(1, ring.head());
        assembler.accept(new byte[] {5}, 0, 1, 5_100);
        assertEquals(2, ring.head());
        assertArrayEquals(new byte[] {4, 5}, ring.slot(1).bytes());
    }

    @Test
    void flushIfDuePublishesAPartialChunkOnlyOnceItsFirstByteHasWaitedMaxDelay() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(1000, 100));
        assembler.flushIfDue(5_000);
        assertEquals(0, ring.head(), "nothing held back: nothing to publish");

        assembler.accept(new byte[] {1, 2, 3}, 0, 3, 1_000);
        assembler.flushIfDue(1_099);
        assertEquals(0, ring.head());
        assembler.flushIfDue(1_100); // an encoder that paused: no further accept() triggers this
        assertEquals(1, ring.head());
        assertArrayEquals(new byte[] {1, 2, 3}, ring.slot(0).bytes());
        assembler.flushIfDue(9_999);
        assertEquals(1, ring.head(), "published once");
    }

    @Test
    void flushPublishesWhatIsHeldBackAndNothingWhenEmpty() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(1000, SECOND));
        assembler.flush();
        assertEquals(0, ring.head());
        assembler.accept(new byte[] {7, 8, 9}, 0, 3, 0);
        assembler.flush();
        assertEquals(1, ring.head());
        assertArrayEquals(new byte[] {7, 8, 9}, ring.slot(0).bytes());
        assembler.flush();
        assertEquals(1, ring.head());
    }

    @Test
    void publishedChunksAreNotChangedByLaterInput() {
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(2, SECOND));
        assembler.accept(new byte[] {1, 2}, 0, 2, 0);
        byte[] first = ring.slot(0).bytes();
        assembler.accept(new byte[] {3, 4}, 0, 2, 0);
        assertArrayEquals(new byte[] {1, 2}, first);
        assertArrayEquals(new byte[] {1, 2}, ring.slot(0).bytes());
    }

    @Test
    void rawFormatsGetTheByteAssemblerAndOggTheOggOne() {
        assertInstanceOf(ByteChunkAssembler.class, StreamAssembler.forFormat(StreamFormat.RAW, ring, () -> ChunkPolicy.DEFAULT));
        assertInstanceOf(OggPageAssembler.class, StreamAssembler.forFormat(StreamFormat.OGG, ring, () -> ChunkPolicy.DEFAULT));
    }

    @Test
    void releasePublishesEverythingAndKeepsNothingBack() {
        StreamRing ring = new StreamRing(16);
        ByteChunkAssembler assembler = new ByteChunkAssembler(ring, new ChunkPolicy(1000, 1_000_000_000L));
        assembler.accept(new byte[300], 0, 300, 0);

        assertEquals(0, assembler.release().length);
        assertEquals(1, ring.head());
        assertEquals(300, ring.slot(0).length());
    }
}
