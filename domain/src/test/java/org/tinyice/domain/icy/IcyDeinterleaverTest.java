package org.tinyice.domain.icy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcyDeinterleaverTest {

    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private final List<String> titles = new ArrayList<>();

    private void feed(IcyDeinterleaver icy, byte[] wire, int offset, int length) {
        try {
            icy.accept(wire, offset, length, (bytes, off, len) -> audio.write(bytes, off, len), titles::add);
        } catch (IcyDeinterleaver.OutOfStep e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Feeds {@code wire} in reads of random sizes, 1 byte to {@code maxRead}, as a socket would. */
    private void feedInRandomReads(IcyDeinterleaver icy, byte[] wire, int maxRead, long seed) {
        Random random = new Random(seed);
        int at = 0;
        while (at < wire.length) {
            int n = Math.min(wire.length - at, 1 + random.nextInt(maxRead));
            feed(icy, wire, at, n);
            at += n;
        }
    }

    private static byte[] randomAudio(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** What our own interleaver sends a listener: audio with a title change in the middle. */
    private static byte[] interleaved(int metaint, byte[] audio, String first, String second) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        IcyInterleaver icy = new IcyInterleaver(metaint);
        int half = audio.length / 2;
        icy.interleave(audio, 0, half, first, (b, o, l) -> wire.write(b, o, l));
        icy.interleave(audio, half, audio.length - half, second, (b, o, l) -> wire.write(b, o, l));
        return wire.toByteArray();
    }

    @Test
    void aDeinterleaverResumedFromAnothersStateGoesOnAsIfNothingHappenedWhereverTheSeamFalls() {
        byte[] sent = randomAudio(4_000, 5);
        byte[] wire = interleaved(100, sent, "First - Song", "Second - Song");
        for (int seam = 0; seam <= wire.length; seam++) {
            audio.reset();
            titles.clear();
            IcyDeinterleaver before = new IcyDeinterleaver(100);
            feed(before, wire, 0, seam);
            IcyDeinterleaver after = IcyDeinterleaver.resume(before.state());
            feed(after, wire, seam, wire.length - seam);
            assertArrayEquals(sent, audio.toByteArray(), "audio across a seam at " + seam);
            assertEquals(List.of("First - Song", "Second - Song"), titles, "titles across a seam at " + seam);
        }
    }

    @Test
    void aStateNoDeinterleaverCanBeInIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> IcyDeinterleaver.resume(new IcyDeinterleaver.State(100, 101, 0, new byte[0])));
        assertThrows(IllegalArgumentException.class,
                () -> IcyDeinterleaver.resume(new IcyDeinterleaver.State(100, -2, 16, new byte[16])));
        assertThrows(IllegalArgumentException.class,
                () -> IcyDeinterleaver.resume(new IcyDeinterleaver.State(100, 50, 0, new byte[3])));
    }

    @Test
    void givesBackTheAudioAndTheTitlesOfAnInterleavedStreamWhereverTheReadsSplitIt() {
        byte[] sent = randomAudio(100_000, 1);
        byte[] wire = interleaved(1_000, sent, "First - Song", "Second - Song");
        for (int maxRead : new int[] {1, 7, 1_000, 1_001, 4_096, 200_000}) {
            audio.reset();
            titles.clear();
            feedInRandomReads(new IcyDeinterleaver(1_000), wire, maxRead, maxRead);
            assertArrayEquals(sent, audio.toByteArray(), "read size " + maxRead);
            assertEquals(List.of("First - Song", "Second - Song"), titles, "each title once, when it changes");
        }
    }

    @Test
    void aFourThousandByteTitleComesThroughWhole() {
        String longTitle = "x".repeat(3_992) + "é–end"; // 4,000 bytes of UTF-8
        assertEquals(4_000, longTitle.getBytes(StandardCharsets.UTF_8).length);
        byte[] sent = randomAudio(50_000, 2);
        byte[] wire = interleaved(16_000, sent, "", longTitle);
        feedInRandomReads(new IcyDeinterleaver(16_000), wire, 1_500, 3);
        assertArrayEquals(sent, audio.toByteArray());
        assertEquals(List.of("", longTitle), titles);
    }

    @Test
    void aLengthBytePointingPastTheEndOfTheDataGivesTheAudioBeforeItAndNoTitle() {
        byte[] wire = new byte[10 + 1 + 20];
        byte[] sent = randomAudio(10, 4);
        System.arraycopy(sent, 0, wire, 0, 10);
        wire[10] = (byte) 255; // promises 4,080 bytes of metadata; the connection ends after 20
        byte[] text = "StreamTitle='cut".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, wire, 11, text.length);
        IcyDeinterleaver icy = new IcyDeinterleaver(10);
        feed(icy, wire, 0, wire.length);
        assertArrayEquals(sent, audio.toByteArray());
        assertEquals(List.of(), titles, "an incomplete block is never taken as a title");
        assertTrue(icy.insideBlock(), "the stream ended inside a block");
    }

    @Test
    void aLengthBytePointingPastTheMetadataIntoTheAudioIsOutOfStep() {
        byte[] text = "StreamTitle='ok';".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[10 + 1 + 4080];
        wire[10] = (byte) 255; // the metadata is 32 bytes; audio follows where the block goes on
        System.arraycopy(text, 0, wire, 11, text.length);
        System.arraycopy(randomAudio(4080 - 32, 9), 0, wire, 11 + 32, 4080 - 32);
        IcyDeinterleaver icy = new IcyDeinterleaver(10);
        IcyDeinterleaver.OutOfStep e = assertThrows(IcyDeinterleaver.OutOfStep.class, () ->
                icy.accept(wire, 0, wire.length, (b, o, l) -> { }, titles::add));
        assertTrue(e.getMessage().contains("pointed past the metadata"), e.getMessage());
        assertEquals(List.of(), titles, "no title from a block that swallowed audio");
    }

    @Test
    void aBlockThatIsAudioIsOutOfStep() {
        byte[] wire = new byte[3 + 1 + 16];
        wire[3] = 1;
        wire[4] = (byte) 0xFF; // an MP3 frame header where a key should start
        wire[5] = (byte) 0xFB;
        assertThrows(IcyDeinterleaver.OutOfStep.class, () ->
                new IcyDeinterleaver(3).accept(wire, 0, wire.length, (b, o, l) -> { }, titles::add));
    }

    @Test
    void zeroLengthBlocksCarryNoTitleAndLeaveTheAudioAlone() {
        byte[] wire = {1, 2, 3, 0, 4, 5, 6, 0, 7};
        feed(new IcyDeinterleaver(3), wire, 0, wire.length);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, audio.toByteArray());
        assertEquals(List.of(), titles);
    }

    @Test
    void readsTheTitleOutOfBlocksWithOtherKeysQuotesAndForeignEncodings() {
        assertEquals(Optional.of("It's \"q\""), title("StreamTitle='It's \"q\"';StreamUrl='http://x';"));
        assertEquals(Optional.of("no end quote"), title("StreamTitle='no end quote"));
        assertEquals(Optional.empty(), title("StreamUrl='http://only.url';"));
        byte[] latin1 = "StreamTitle='Café';".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Optional.of("Café"), IcyDeinterleaver.streamTitle(latin1, latin1.length));
    }

    private static Optional<String> title(String text) {
        byte[] block = new byte[(text.length() / 16 + 1) * 16];
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, block, 0, bytes.length);
        return IcyDeinterleaver.streamTitle(block, block.length);
    }

    @Test
    void refusesANonPositiveInterval() {
        assertThrows(IllegalArgumentException.class, () -> new IcyDeinterleaver(0));
    }
}
