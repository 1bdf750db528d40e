package org.tinyice.domain.icy;

import java.nio.charset.StandardCharsets;

/**
 * Shoutcast/Icecast in-stream metadata for one listener that asked for it ({@code Icy-MetaData: 1}).
 *
 * <p>After every {@code metaint} audio bytes comes one length byte {@code L} and {@code L * 16}
 * bytes of {@code StreamTitle='...';}, padded with NUL. Like Icecast 2.4.4 the title is only
 * repeated when it changes (plus once in the first block of a new listener); otherwise the block
 * is a single zero byte. Quotes in titles are passed through unescaped, as Icecast does.
 *
 * <p>Not thread-safe: one instance per listener.
 */
public final class IcyInterleaver {

    /** Icecast's default and what every player expects. */
    public static final int DEFAULT_METAINT = 16000;

    private static final int MAX_BLOCK_LENGTH = 255 * 16;
    private static final byte[] EMPTY_BLOCK = {0};

    private final int metaint;
    private int untilBlock;
    private String lastTitle;

    public IcyInterleaver(int metaint) {
        if (metaint <= 0) {
            throw new IllegalArgumentException("metaint must be positive: " + metaint);
        }
        this.metaint = metaint;
        this.untilBlock = metaint;
    }

    /**
     * An interleaver that goes on where another process's stopped (a take-over): the next block comes
     * after {@code untilBlock} more audio bytes, and repeats no title that {@code lastTitle} already sent.
     */
    public static IcyInterleaver continuing(int metaint, int untilBlock, String lastTitle) {
        IcyInterleaver icy = new IcyInterleaver(metaint);
        if (untilBlock <= 0 || untilBlock > metaint) {
            throw new IllegalArgumentException("untilBlock " + untilBlock + " outside 1.." + metaint);
        }
        icy.untilBlock = untilBlock;
        icy.lastTitle = lastTitle;
        return icy;
    }

    public int metaint() {
        return metaint;
    }

    /** Audio bytes before the next metadata block. */
    public int untilBlock() {
        return untilBlock;
    }

    /** The title the last block that carried one sent, or null before the first. */
    public String lastTitle() {
        return lastTitle;
    }

    /**
     * Splits {@code length} audio bytes at the metadata interval and hands each audio run and
     * metadata block, in order, to {@code out} as (array, offset, length) slices.
     *
     * @param title the title in force for these bytes
     */
    public void interleave(byte[] audio, int offset, int length, String title, SliceSink out) {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            int run = Math.min(untilBlock, end - position);
            out.accept(audio, position, run);
            position += run;
            untilBlock -= run;
            if (untilBlock == 0) {
                byte[] block = blockFor(title);
                out.accept(block, 0, block.length);
                untilBlock = metaint;
            }
        }
    }

    private byte[] blockFor(String title) {
        String now = title == null ? "" : title;
        if (now.equals(lastTitle)) {
            return EMPTY_BLOCK;
        }
        lastTitle = now;
        return encode(now);
    }

    /**
     * The metadata block for a title: length byte, {@code StreamTitle='...';}, NUL padding. A title
     * too long for the 255 * 16 bytes a block can hold is cut, keeping the closing {@code ';}.
     */
    public static byte[] encode(String title) {
        byte[] prefix = "StreamTitle='".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "';".getBytes(StandardCharsets.US_ASCII);
        byte[] text = title.getBytes(StandardCharsets.UTF_8);
        int textLength = Math.min(text.length, MAX_BLOCK_LENGTH - prefix.length - suffix.length);
        while (textLength < text.length && textLength > 0 && (text[textLength] & 0xC0) == 0x80) {
            textLength--; // never cut inside a UTF-8 character
        }
        int payload = prefix.length + textLength + suffix.length;
        int blocks = (payload + 15) / 16;
        byte[] block = new byte[1 + blocks * 16];
        block[0] = (byte) blocks;
        System.arraycopy(prefix, 0, block, 1, prefix.length);
        System.arraycopy(text, 0, block, 1 + prefix.length, textLength);
        System.arraycopy(suffix, 0, block, 1 + prefix.length + textLength, suffix.length);
        return block;
    }

    /** Receives slices of bytes to send, in order. */
    @FunctionalInterface
    public interface SliceSink {
        void accept(byte[] bytes, int offset, int length);
    }
}
