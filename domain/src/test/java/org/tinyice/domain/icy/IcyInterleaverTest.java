package org.tinyice.domain.icy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcyInterleaverTest {

    private static final int METAINT = 16_000;

    /** What a listener receives. */
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    private void send(IcyInterleaver icy, byte[] audio, int offset, int length, String title) {
        icy.interleave(audio, offset, length, title, (bytes, off, len) -> wire.write(bytes, off, len));
    }

    private static byte[] audio(int length, long seed) {
        byte[] audio = new byte[length];
        new Random(seed).nextBytes(audio);
        return audio;
    }

    /** The audio and metadata blocks a player would separate out of the wire bytes. */
    private record Parsed(byte[] audio, List<byte[]> blocks) { }

    private static Parsed parse(byte[] wire, int metaint) {
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        List<byte[]> blocks = new ArrayList<>();
        int at = 0;
        while (at < wire.length) {
            int run = Math.min(metaint, wire.length - at);
            audio.write(wire, at, run);
            at += run;
            if (run == metaint && at < wire.length) {
                int length = (wire[at] & 0xFF) * 16;
                assertTrue(at + 1 + length <= wire.length, "metadata block cut off at byte " + at);
                blocks.add(Arrays.copyOfRange(wire, at, at + 1 + length));
                at += 1 + length;
            }
        }
        return new Parsed(audio.toByteArray(), blocks);
    }

    /** The text of a block up to its NUL padding. */
    private static String blockText(byte[] block) {
        int end = 1;
        while (end < block.length && block[end] != 0) {
            end++;
        }
        return new String(block, 1, end - 1, StandardCharsets.UTF_8);
    }

    private static void assertValidBlock(byte[] block, String expectedText) {
        int length = (block[0] & 0xFF) * 16;
        assertEquals(1 + length, block.length);
        byte[] text = expectedText.getBytes(StandardCharsets.UTF_8);
        assertTrue(text.length <= length, "text must fit the announced length");
        assertTrue(length - text.length < 16, "no more than one 16-byte unit of padding");
        assertArrayEquals(text, Arrays.copyOfRange(block, 1, 1 + text.length));
        for (int i = 1 + text.length; i < block.length; i++) {
            assertEquals(0, block[i], "padding must be NUL at " + i);
        }
    }

    @Test
    void metaintMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new IcyInterleaver(0));
        assertThrows(IllegalArgumentException.class, () -> new IcyInterleaver(-1));
        assertEquals(METAINT, new IcyInterleaver(IcyInterleaver.DEFAULT_METAINT).metaint());
    }

    @Test
    void aMetadataBlockFollowsExactlyMetaintAudioBytesAndCarriesTheTitle() {
        IcyInterleaver icy = new IcyInterleaver(METAINT);
        byte[] audio = audio(METAINT, 1);
        send(icy, audio, 0, audio.length, "Artist - Song");

        byte[] out = wire.toByteArray();
        assertArrayEquals(audio, Arrays.copyOf(out, METAINT));
        byte[] block = Arrays.copyOfRange(out, METAINT, out.length);
        assertValidBlock(block, "StreamTitle='Artist - Song';");
        assertEquals(2, block[0], "28 bytes of text need two 16-byte units");
    }

    @Test
    void noBlockIsSentBeforeTheIntervalIsReached() {
        IcyInterleaver icy = new IcyInterleaver(METAINT);
        byte[] audio = audio(METAINT - 1, 2);
        send(icy, audio, 0, audio.length, "x");
        assertArrayEquals(audio, wire.toByteArray());
    }

    @Test
    void anUnchangedTitleIsASingleZeroByteAndAChangedOneIsSentOnce() {
        IcyInterleaver icy = new IcyInterleaver(METAINT);
        byte[] audio = audio(METAINT, 3);
        send(icy, audio, 0, audio.length, "One");
        send(icy, audio, 0, audio.length, "One");
        send(icy, audio, 0, audio.length, "Two");
        send(icy, audio, 0, audio.length, "Two");

        Parsed parsed = parse(wire.toByteArray(), METAINT);
        assertEquals(4, parsed.blocks().size());
        assertValidBlock(parsed.blocks().get(0), "StreamTitle='One';");
        assertArrayEquals(new byte[] {0}, parsed.blocks().get(1));
        assertValidBlock(parsed.blocks().get(2), "StreamTitle='Two';");
        assertArrayEquals(new byte[] {0}, parsed.blocks().get(3));
    }

    @Test
    void theFirstBlockCarriesATitleEvenWhenNoneIsSet() {
        IcyInterleaver icy = new IcyInterleaver(METAINT);
        byte[] audio = audio(METAINT, 4);
        send(icy, audio, 0, audio.length, null);
        send(icy, audio, 0, audio.length, "");

        Parsed parsed = parse(wire.toByteArray(), METAINT);
        assertValidBlock(parsed.blocks().get(0), "StreamTitle='';");
        assertArrayEquals(new byte[] {0}, parsed.blocks().get(1), "null and empty are the same title");
    }

    @Test
    void theIntervalIsExactAcrossManyCallsWithOddSliceSizes() {
        IcyInterleaver icy = new IcyInterleaver(METAINT);
        byte[] audio = audio(300_000, 5);
        int[] sizes = {1, 7, 4096, 16_001, 3, 15_999, 16_000, 0, 2, 31_999, 12_345, 1, 1, 47_999};
        int position = 0;
        int call = 0;
        while (position < audio.length) {
            int length = Math.min(sizes[call % sizes.length], audio.length - position);
            String title = "Track " + (call / 5); // changes every few calls, mid-interval
            send(icy, audio, position, length, title);
            position += length;
            call++;
        }

        Parsed parsed = parse(wire.toByteArray(), METAINT);
        assertArrayEquals(audio, parsed.audio(), "audio with the blocks removed must equal the input");
        assertEquals(audio.length / METAINT, parsed.blocks().size());
        for (byte[] block : parsed.blocks()) {
            if (block.length > 1) {
                String text = blockText(block);
                assertTrue(text.matches("StreamTitle='Track \\d+';"), text);
            }
        }
    }

    @Test
    void onlyTheGivenRangeOfTheBufferIsSent() {
        IcyInterleaver icy = new IcyInterleaver(4);
        byte[] buffer = {9, 9, 1, 2, 3, 4, 5, 9};
        send(icy, buffer, 2, 5, "T");
        byte[] out = wire.toByteArray();
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOf(out, 4));
        assertEquals(5, out[out.length - 1]);
        assertEquals(4 + 1 + 16 + 1, out.length);
    }

    @Test
    void anOverLongTitleStillYieldsAValidBlockOfAtMost255Units() {
        String title = "x".repeat(5000);
        byte[] block = IcyInterleaver.encode(title);

        int units = block[0] & 0xFF;
        assertEquals(255, units);
        assertEquals(1 + units * 16, block.length);
        String text = blockText(block);
        assertTrue(text.startsWith("StreamTitle='"));
        assertTrue(text.endsWith("';"), "the closing quote survives the cut");
        String kept = text.substring("StreamTitle='".length(), text.length() - 2);
        assertTrue(title.startsWith(kept));
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= units * 16);
    }

    @Test
    void anOverLongTitleIsCutAtACharacterBoundary() {
        String title = "é".repeat(3000); // two bytes each: an odd byte limit falls inside a character
        byte[] block = IcyInterleaver.encode(title);

        int end = 1;
        while (end < block.length && block[end] != 0) {
            end++;
        }
        byte[] text = Arrays.copyOfRange(block, 1, end);
        String decoded = assertDoesNotThrow(() -> StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(text)).toString(), "the cut title must still be valid UTF-8");
        assertTrue(decoded.endsWith("';"));
        String kept = decoded.substring("StreamTitle='".length(), decoded.length() - 2);
        assertTrue(title.startsWith(kept));
        assertTrue(kept.length() > 2000, "the cut keeps as much as fits");
        assertTrue(block[0] != 0 && (block[0] & 0xFF) <= 255);
    }

    @Test
    void quotesAndNonAsciiArePassedThroughUnescapedAsUtf8() {
        String title = "Café It's \"q\"";
        byte[] block = IcyInterleaver.encode(title);
        assertValidBlock(block, "StreamTitle='Café It's \"q\"';");
        assertEquals(title, blockText(block).substring(13, blockText(block).length() - 2));
    }
}
