package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OggPageAssemblerTest {

    private static final int BOS = 0x02;
    private static final int EOS = 0x04;
    private static final long SECOND = 1_000_000_000L;
    private static final ChunkPolicy SMALL_CHUNKS = new ChunkPolicy(1000, SECOND);

    // ---------------------------------------------------------------------------------------------
    // synthetic Ogg

    /** One Ogg page: capture pattern, version 0, header type, granule, serial, page sequence, CRC 0. */
    static byte[] page(int headerType, long granule, int serial, int pageSequence, byte[] body) {
        int full = body.length / 255;
        int segments = full + 1; // a last lacing value below 255 ends the packet (may be 0)
        if (segments > 255) {
            throw new IllegalArgumentException("body too long for one page");
        }
        ByteBuffer page = ByteBuffer.allocate(27 + segments + body.length).order(ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 0)
                .put((byte) headerType)
                .putLong(granule)
                .putInt(serial)
                .putInt(pageSequence)
                .putInt(0)
                .put((byte) segments);
        for (int i = 0; i < full; i++) {
            page.put((byte) 0xFF);
        }
        page.put((byte) (body.length % 255));
        page.put(body);
        return page.array();
    }

    private static byte[] text(String start, int totalLength) {
        byte[] body = new byte[totalLength];
        byte[] prefix = start.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        return body;
    }

    /** Builds a stream page by page, remembering which bytes are which. */
    private static final class OggBuilder {
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        private final Random random;

        OggBuilder(long seed) {
            this.random = new Random(seed);
        }

        byte[] add(byte[] page) {
            all.writeBytes(page);
            return page;
        }

        byte[] opusHeaders(int serial) {
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            headers.writeBytes(add(page(BOS, 0, serial, 0, text("OpusHead", 19))));
            headers.writeBytes(add(page(0, 0, serial, 1, text("OpusTags", 60))));
            return headers.toByteArray();
        }

        byte[] vorbisHeaders(int serial) {
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            headers.writeBytes(add(page(BOS, 0, serial, 0, text("\u0001vorbis", 30))));
            headers.writeBytes(add(page(0, 0, serial, 1, text("\u0003vorbis", 300))));
            headers.writeBytes(add(page(0, 0, serial, 2, text("\u0005vorbis", 500))));
            return headers.toByteArray();
        }

        /** Audio pages with real granule positions and random bodies of 100 to 700 bytes. */
        byte[] audio(int serial, int firstPageSequence, int pages) {
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            for (int i = 0; i < pages; i++) {
                byte[] body = new byte[100 + random.nextInt(601)];
                random.nextBytes(body);
                int type = i == pages - 1 ? EOS : 0;
                audio.writeBytes(add(page(type, 960L * (i + 1), serial, firstPageSequence + i, body)));
            }
            return audio.toByteArray();
        }

        byte[] bytes() {
            return all.toByteArray();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // feeding and reading back

    private static void feed(StreamAssembler assembler, byte[] input, IntSupplier sliceSizes) {
        int position = 0;
        while (position < input.length) {
            int length = Math.min(input.length - position, sliceSizes.getAsInt());
            assembler.accept(input, position, length, 0);
            position += length;
        }
    }

    private static List<Chunk> chunks(StreamRing ring) {
        List<Chunk> chunks = new ArrayList<>();
        for (long s = 0; s < ring.head(); s++) {
            chunks.add(ring.slot(s));
        }
        return chunks;
    }

    private static byte[] concat(List<Chunk> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(chunk -> all.writeBytes(chunk.bytes()));
        return all.toByteArray();
    }

    /** Fails unless the chunk is a run of complete pages, starting with the first byte. */
    private static int assertWholePages(Chunk chunk) {
        byte[] b = chunk.bytes();
        int at = 0;
        int pages = 0;
        while (at < b.length) {
            if (b.length - at < 27 || b[at] != 'O' || b[at + 1] != 'g' || b[at + 2] != 'g' || b[at + 3] != 'S') {
                fail("chunk " + chunk.sequence() + " has no page at byte " + at);
            }
            int segments = b[at + 26] & 0xFF;
            if (b.length - at < 27 + segments) {
                fail("chunk " + chunk.sequence() + " cuts a segment table at byte " + at);
            }
            int body = 0;
            for (int i = 0; i < segments; i++) {
                body += b[at + 27 + i] & 0xFF;
            }
            at += 27 + segments + body;
            pages++;
        }
        assertEquals(b.length, at, "chunk " + chunk.sequence() + " ends inside a page");
        return pages;
    }

    static Stream<Arguments> slicings() {
        return Stream.of(
                Arguments.of("whole input at once", (IntSupplierFactory) () -> () -> Integer.MAX_VALUE),
                Arguments.of("one byte at a time", (IntSupplierFactory) () -> () -> 1),
                Arguments.of("random slices, seed 1", (IntSupplierFactory) () -> randomSlices(1, 40)),
                Arguments.of("random slices, seed 2", (IntSupplierFactory) () -> randomSlices(2, 700)),
                Arguments.of("random slices, seed 3", (IntSupplierFactory) () -> randomSlices(3, 5000)));
    }

    @FunctionalInterface
    interface IntSupplierFactory {
        IntSupplier create();
    }

    private static IntSupplier randomSlices(long seed, int max) {
        Random random = new Random(seed);
        return () -> 1 + random.nextInt(max);
    }

    // ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("slicings")
    void everyChunkHoldsWholePagesOnlyHoweverTheInputIsSplit(String name, IntSupplierFactory slices) {
        OggBuilder ogg = new OggBuilder(99);
        ogg.opusHeaders(1);
        ogg.audio(1, 2, 60);
        byte[] input = ogg.bytes();

        StreamRing reference = new StreamRing(1024);
        OggPageAssembler whole = new OggPageAssembler(reference, SMALL_CHUNKS);
        whole.accept(input, 0, input.length, 0);
        whole.flush();

        StreamRing ring = new StreamRing(1024);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        feed(assembler, input, slices.create());
        assembler.flush();

        List<Chunk> chunks = chunks(ring);
        assertTrue(chunks.size() > 5, "expected several chunks, got " + chunks.size());
        int pages = 0;
        for (Chunk chunk : chunks) {
            pages += assertWholePages(chunk);
        }
        assertEquals(62, pages);
        assertArrayEquals(input, concat(chunks), "the stream must pass through unaltered");

        List<Chunk> expected = chunks(reference);
        assertEquals(expected.size(), chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            assertArrayEquals(expected.get(i).bytes(), chunks.get(i).bytes(), "chunk " + i);
        }
    }

    @Test
    void theBosPageAndFollowingGranuleZeroPagesBecomeOneHeaderChunk() {
        OggBuilder ogg = new OggBuilder(1);
        byte[] headers = ogg.opusHeaders(7);
        ogg.audio(7, 2, 20);
        byte[] input = ogg.bytes();

        StreamRing ring = new StreamRing(256);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        feed(assembler, input, randomSlices(5, 300));
        assembler.flush();

        List<Chunk> chunks = chunks(ring);
        Chunk headerChunk = chunks.get(0);
        assertArrayEquals(headers, headerChunk.bytes());
        assertEquals(2, assertWholePages(headerChunk));
        assertNotNull(headerChunk.headers());
        assertFalse(headerChunk.headers().neededBefore(headerChunk),
                "a listener starting at the header chunk gets the headers from the stream itself");

        assertTrue(chunks.size() > 3);
        for (Chunk later : chunks.subList(1, chunks.size())) {
            CodecHeaders carried = later.headers();
            assertNotNull(carried, "chunk " + later.sequence());
            assertEquals(headerChunk.sequence(), carried.firstSequence());
            assertArrayEquals(headers, carried.pages());
            assertTrue(carried.neededBefore(later), "chunk " + later.sequence());
            assertEquals(Optional.of("Opus"), carried.codec());
        }
        assertArrayEquals(headers, ring.headers().pages());
    }

    @Test
    void vorbisHeadersAreRecognised() {
        OggBuilder ogg = new OggBuilder(2);
        byte[] headers = ogg.vorbisHeaders(3);
        ogg.audio(3, 3, 5);
        byte[] input = ogg.bytes();

        StreamRing ring = new StreamRing(64);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        assembler.accept(input, 0, input.length, 0);

        assertArrayEquals(headers, ring.slot(0).bytes());
        assertEquals(Optional.of("Vorbis"), ring.headers().codec());
    }

    @Test
    void aHeaderPageWithoutAGranulePositionStaysWithTheHeaders() {
        // a comment header spanning pages: the page where no packet ends has granule -1
        byte[] bos = page(BOS, 0, 1, 0, text("\u0001vorbis", 30));
        byte[] commentStart = page(0, -1, 1, 1, text("\u0003vorbis", 600));
        byte[] commentEnd = page(0, 0, 1, 2, new byte[200]);
        byte[] audio = page(0, 4096, 1, 3, new byte[400]);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(bos);
        all.writeBytes(commentStart);
        all.writeBytes(commentEnd);
        all.writeBytes(audio);
        byte[] input = all.toByteArray();

        StreamRing ring = new StreamRing(16);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        assembler.accept(input, 0, input.length, 0);
        assembler.flush();

        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        headers.writeBytes(bos);
        headers.writeBytes(commentStart);
        headers.writeBytes(commentEnd);
        assertArrayEquals(headers.toByteArray(), ring.slot(0).bytes());
        assertArrayEquals(audio, ring.slot(1).bytes());
        assertEquals(0, ring.slot(1).headers().firstSequence());
    }

    @Test
    void aNewBosPageAfterAudioStartsAChainedStreamWhoseHeadersReplaceTheOldOnes() {
        OggBuilder ogg = new OggBuilder(3);
        byte[] opusHeaders = ogg.opusHeaders(10);
        byte[] firstAudio = ogg.audio(10, 2, 3);
        byte[] vorbisHeaders = ogg.vorbisHeaders(11);
        ogg.audio(11, 3, 10);
        byte[] input = ogg.bytes();

        StreamRing ring = new StreamRing(256);
        OggPageAssembler assembler = new OggPageAssembler(ring, new ChunkPolicy(100_000, SECOND));
        feed(assembler, input, randomSlices(11, 500));
        assembler.flush();

        List<Chunk> chunks = chunks(ring);
        // big chunks: headers, the first track's audio (flushed by the new BOS), new headers, new audio
        assertEquals(4, chunks.size());
        assertArrayEquals(opusHeaders, chunks.get(0).bytes());
        assertArrayEquals(firstAudio, chunks.get(1).bytes());
        assertArrayEquals(vorbisHeaders, chunks.get(2).bytes());
        assertArrayEquals(input, concat(chunks));

        assertEquals(0, chunks.get(1).headers().firstSequence());
        assertEquals(Optional.of("Opus"), chunks.get(1).headers().codec());

        CodecHeaders chained = chunks.get(3).headers();
        assertEquals(2, chained.firstSequence());
        assertArrayEquals(vorbisHeaders, chained.pages());
        assertEquals(Optional.of("Vorbis"), chained.codec());
        assertFalse(chained.neededBefore(chunks.get(2)));
        assertTrue(chained.neededBefore(chunks.get(3)));
        assertSame(chained, ring.headers());
    }

    @Test
    void aReleasedStreamGoesOnInTheNextAssemblerWithEveryPageWholeAndNoByteLostOrRepeated() {
        for (int cut = 1; cut < 4_000; cut += 37) {
            OggBuilder ogg = new OggBuilder(cut);
            byte[] headers = ogg.opusHeaders(3);
            ogg.audio(3, 2, 12);
            byte[] input = ogg.bytes();
            int at = Math.min(cut, input.length - 1);

            StreamRing ring = new StreamRing(256);
            OggPageAssembler first = new OggPageAssembler(ring, SMALL_CHUNKS);
            first.accept(input, 0, at, 0);
            byte[] rest = first.release();
            OggPageAssembler next = new OggPageAssembler(ring, SMALL_CHUNKS);
            next.accept(rest, 0, rest.length, 0);
            next.accept(input, at, input.length - at, 0);
            next.flush();

            List<Chunk> chunks = chunks(ring);
            assertArrayEquals(input, concat(chunks), "cut at " + at);
            chunks.forEach(OggPageAssemblerTest::assertWholePages);
            assertArrayEquals(headers, ring.headers().pages(), "the header set is whole, cut at " + at);
        }
    }

    @Test
    void releaseKeepsBackHeaderPagesStillBeingGatheredAndAPartialPage() {
        OggBuilder ogg = new OggBuilder(9);
        byte[] headers = ogg.vorbisHeaders(5);
        byte[] input = ogg.bytes();

        StreamRing ring = new StreamRing(16);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        assembler.accept(input, 0, input.length - 10, 0);

        byte[] rest = assembler.release();

        assertEquals(0, ring.head(), "an incomplete header set is not published");
        assertArrayEquals(java.util.Arrays.copyOf(headers, headers.length - 10), rest);
        assertEquals(0, assembler.release().length, "released once");
    }

    @Test
    void flushPublishesHeldBackHeadersAndPages() {
        OggBuilder ogg = new OggBuilder(4);
        byte[] headers = ogg.opusHeaders(1);
        byte[] input = ogg.bytes();

        StreamRing ring = new StreamRing(16);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        assembler.accept(input, 0, input.length, 0);
        assertEquals(0, ring.head(), "headers wait for the first audio page");
        assembler.flush();
        assertEquals(1, ring.head());
        assertArrayEquals(headers, ring.slot(0).bytes());
        assertEquals(0, ring.headers().firstSequence());

        byte[] audio = page(0, 960, 1, 2, new byte[50]);
        assembler.accept(audio, 0, audio.length, 0);
        assertEquals(1, ring.head(), "a small page waits for more");
        assembler.flush();
        assertEquals(2, ring.head());
        assertArrayEquals(audio, ring.slot(1).bytes());
    }

    @Test
    void pendingPagesArePublishedOnceMaxDelayHasPassed() {
        byte[] first = page(0, 960, 1, 5, new byte[50]);
        byte[] second = page(0, 1920, 1, 6, new byte[50]);
        StreamRing ring = new StreamRing(16);
        OggPageAssembler assembler = new OggPageAssembler(ring, new ChunkPolicy(10_000, 100));

        assembler.accept(first, 0, first.length, 1_000);
        assembler.accept(second, 0, 10, 1_050);
        assertEquals(0, ring.head());
        assembler.accept(second, 10, 10, 1_100);
        assertEquals(1, ring.head());
        assertArrayEquals(first, ring.slot(0).bytes(), "only the whole page goes out; the partial one waits");

        assembler.accept(second, 20, second.length - 20, 1_150);
        assembler.flush();
        assertArrayEquals(second, ring.slot(1).bytes());
    }

    @Test
    void flushIfDuePublishesWholePendingPagesOnceDueButNeverAPartialPage() {
        byte[] first = page(0, 960, 1, 5, new byte[50]);
        byte[] second = page(0, 1920, 1, 6, new byte[50]);
        StreamRing ring = new StreamRing(16);
        OggPageAssembler assembler = new OggPageAssembler(ring, new ChunkPolicy(10_000, 100));

        assembler.accept(first, 0, first.length, 1_000);
        assembler.accept(second, 0, 30, 1_010); // half a page, then the encoder pauses
        assembler.flushIfDue(1_099);
        assertEquals(0, ring.head());
        assembler.flushIfDue(1_100);
        assertEquals(1, ring.head());
        assertArrayEquals(first, ring.slot(0).bytes());
        assembler.flushIfDue(10_000);
        assertEquals(1, ring.head(), "the partial page waits for its rest");

        assembler.accept(second, 30, second.length - 30, 20_000);
        assembler.flushIfDue(20_100);
        assertArrayEquals(second, ring.slot(1).bytes());
    }

    @Test
    void bytesThatAreNotOggPagesArePassedThroughUnchanged() {
        byte[] junk = "not ogg at all".getBytes(StandardCharsets.US_ASCII);
        OggBuilder ogg = new OggBuilder(5);
        ogg.add(junk);
        byte[] headers = ogg.opusHeaders(1);
        ogg.audio(1, 2, 4);
        byte[] input = ogg.bytes();

        StreamRing ring = new StreamRing(64);
        OggPageAssembler assembler = new OggPageAssembler(ring, SMALL_CHUNKS);
        feed(assembler, input, () -> 3);
        assembler.flush();

        assertArrayEquals(input, concat(chunks(ring)));
        assertArrayEquals(junk, ring.slot(0).bytes());
        assertNull(ring.slot(0).headers());
        assertArrayEquals(headers, ring.slot(1).bytes());
    }
}
