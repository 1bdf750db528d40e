package org.tinyice.domain.stream;

import java.util.Optional;

/**
 * Reads MPEG audio Layer III (MP3) frame headers, so a file can be sent at the pace its frames say:
 * each frame is a fixed number of samples (1152 for MPEG-1, 576 for MPEG-2 and 2.5), and its header
 * gives the bitrate, sample rate and padding from which its length in bytes follows.
 *
 * <p>Free-format frames (bitrate index 0) carry no length in their header and are not accepted; nor
 * are Layer I and II frames. Pure functions over byte arrays: the caller finds where to look.
 */
public final class Mp3Frames {

    /** Bytes of a frame header. */
    public static final int HEADER_LENGTH = 4;
    /** Bytes of an ID3v2 tag header (and of its optional footer). */
    public static final int ID3V2_HEADER_LENGTH = 10;
    /** No Layer III frame is longer: 320 kbit/s at 32 kHz (MPEG-1), or 160 kbit/s at 8 kHz (MPEG-2.5), padded. */
    public static final int MAX_FRAME_LENGTH = 1441;

    /** kbit/s by bitrate index, Layer III. */
    private static final int[] MPEG1_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] MPEG2_KBPS = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    /** Hz by sample rate index. */
    private static final int[] MPEG1_HZ = {44_100, 48_000, 32_000};
    private static final int[] MPEG2_HZ = {22_050, 24_000, 16_000};
    private static final int[] MPEG25_HZ = {11_025, 12_000, 8_000};

    private Mp3Frames() {
    }

    public enum Version { MPEG_1, MPEG_2, MPEG_2_5 }

    /**
     * One frame, as its header describes it.
     *
     * @param bitrate    bits per second
     * @param sampleRate samples per second
     * @param padded     one byte longer than the others at this bitrate (keeps the average exact)
     * @param mono       single channel (the side information is shorter)
     * @param crc        a 16-bit CRC follows the header
     */
    public record Frame(Version version, int bitrate, int sampleRate, boolean padded, boolean mono, boolean crc) {

        /** Samples per channel in the frame. */
        public int samples() {
            return version == Version.MPEG_1 ? 1152 : 576;
        }

        /** Bytes of the whole frame, header included. */
        public int length() {
            return samples() / 8 * bitrate / sampleRate + (padded ? 1 : 0);
        }

        /** How long the frame plays. */
        public long durationNanos() {
            return samples() * 1_000_000_000L / sampleRate;
        }

        /** Where a Xing/Info tag would start: after the header, the CRC and the side information. */
        int sideInfoEnd() {
            int sideInfo = version == Version.MPEG_1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
            return HEADER_LENGTH + (crc ? 2 : 0) + sideInfo;
        }
    }

    /**
     * The Layer III frame whose header starts at {@code offset} ({@value #HEADER_LENGTH} bytes must be
     * there), or empty when those bytes are not one.
     */
    public static Optional<Frame> header(byte[] data, int offset) {
        int b1 = data[offset] & 0xFF;
        int b2 = data[offset + 1] & 0xFF;
        int b3 = data[offset + 2] & 0xFF;
        int b4 = data[offset + 3] & 0xFF;
        if (b1 != 0xFF || (b2 & 0xE0) != 0xE0) {
            return Optional.empty(); // no 11-bit frame sync
        }
        Version version = switch ((b2 >> 3) & 0b11) {
            case 0b00 -> Version.MPEG_2_5;
            case 0b10 -> Version.MPEG_2;
            case 0b11 -> Version.MPEG_1;
            default -> null; // reserved
        };
        if (version == null || ((b2 >> 1) & 0b11) != 0b01) {
            return Optional.empty(); // reserved version, or not Layer III
        }
        int bitrateIndex = b3 >> 4;
        int rateIndex = (b3 >> 2) & 0b11;
        if (bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3 || (b4 & 0b11) == 0b10) {
            return Optional.empty(); // free format, bad bitrate, reserved sample rate or emphasis
        }
        int kbps = (version == Version.MPEG_1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex];
        int hz = switch (version) {
            case MPEG_1 -> MPEG1_HZ[rateIndex];
            case MPEG_2 -> MPEG2_HZ[rateIndex];
            case MPEG_2_5 -> MPEG25_HZ[rateIndex];
        };
        boolean crc = (b2 & 1) == 0; // the protection bit is 0 when a CRC follows
        return Optional.of(new Frame(version, kbps * 1000, hz, (b3 & 0b10) != 0, (b4 >> 6) == 0b11, crc));
    }

    /**
     * The length of an ID3v2 tag that starts at {@code offset} (header, body and footer), or 0 when
     * there is none there. {@value #ID3V2_HEADER_LENGTH} bytes must be there.
     */
    public static int id3v2Length(byte[] data, int offset) {
        if (data[offset] != 'I' || data[offset + 1] != 'D' || data[offset + 2] != '3'
                || (data[offset + 3] & 0xFF) == 0xFF || (data[offset + 4] & 0xFF) == 0xFF) {
            return 0;
        }
        int size = 0;
        for (int i = 6; i < 10; i++) {
            int b = data[offset + i] & 0xFF;
            if (b >= 0x80) {
                return 0; // sizes are "synchsafe": 7 bits a byte
            }
            size = (size << 7) | b;
        }
        boolean footer = (data[offset + 5] & 0x10) != 0;
        return ID3V2_HEADER_LENGTH + size + (footer ? ID3V2_HEADER_LENGTH : 0);
    }

    /**
     * Whether {@code frame} (all of it at {@code offset}) is an encoder's Xing, Info or VBRI tag: a
     * frame of silence at the start of a file that holds the file's length, not audio. Left out when
     * a file plays in a loop, it does not add a gap at every turn.
     */
    public static boolean isInfoFrame(byte[] data, int offset, Frame frame) {
        return hasTag(data, offset + frame.sideInfoEnd(), frame, offset, "Xing")
                || hasTag(data, offset + frame.sideInfoEnd(), frame, offset, "Info")
                || hasTag(data, offset + HEADER_LENGTH + 32, frame, offset, "VBRI");
    }

    private static boolean hasTag(byte[] data, int at, Frame frame, int frameStart, String tag) {
        if (at + 4 > frameStart + frame.length() || at + 4 > data.length) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (data[at + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
