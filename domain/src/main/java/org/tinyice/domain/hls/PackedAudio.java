package org.tinyice.domain.hls;

import java.util.Locale;
import org.tinyice.domain.stream.Mp3Frames;

/**
 * The two codecs HLS carries as "packed audio" (RFC 8216 section 3.4): raw MP3 frames and ADTS AAC
 * frames, one after another, with no container around them. Each knows where its frames start and
 * how long they are, so a segment can be cut on a frame boundary.
 */
public enum PackedAudio {
    MP3("mp3", "audio/mpeg"),
    AAC("aac", "audio/aac");

    /** Bytes an ADTS header takes without its CRC. */
    static final int ADTS_HEADER_LENGTH = 7;
    /** Hz by ADTS sampling frequency index (ISO 14496-3, 1.6.3.4). */
    private static final int[] ADTS_HZ = {96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050,
            16_000, 12_000, 11_025, 8_000, 7_350};

    /** The file extension of a segment. */
    public final String extension;
    /** The {@code Content-Type} a segment is served with. */
    public final String contentType;

    PackedAudio(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /**
     * The packed-audio codec a source's {@code Content-Type} announces, or null when it is not one
     * (Ogg, WebM, anything else: such mounts are not offered as HLS).
     */
    public static PackedAudio fromContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        return switch (type) {
            case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg" -> MP3;
            case "audio/aac", "audio/aacp", "audio/x-aac", "audio/adts" -> AAC;
            default -> null;
        };
    }

    /** Bytes that must be at hand before {@link #frameAt} can tell. */
    int headerLength() {
        return this == MP3 ? Mp3Frames.HEADER_LENGTH : ADTS_HEADER_LENGTH;
    }

    /**
     * The frame whose header starts at {@code offset} ({@link #headerLength()} bytes must be there), or
     * null when those bytes are not a frame header.
     */
    Frame frameAt(byte[] data, int offset) {
        if (this == MP3) {
            return Mp3Frames.header(data, offset)
                    .map(f -> new Frame(f.length(), f.samples(), f.sampleRate()))
                    .orElse(null);
        }
        return adtsFrameAt(data, offset);
    }

    private static Frame adtsFrameAt(byte[] data, int offset) {
        int b1 = data[offset + 1] & 0xFF;
        if ((data[offset] & 0xFF) != 0xFF || (b1 & 0xF6) != 0xF0) {
            return null; // no 12-bit sync, or a layer other than 0
        }
        int b2 = data[offset + 2] & 0xFF;
        int b3 = data[offset + 3] & 0xFF;
        int rateIndex = (b2 >> 2) & 0x0F;
        if (rateIndex >= ADTS_HZ.length) {
            return null;
        }
        int length = (b3 & 0x03) << 11 | (data[offset + 4] & 0xFF) << 3 | (data[offset + 5] & 0xFF) >> 5;
        boolean crc = (b1 & 1) == 0;
        if (length < ADTS_HEADER_LENGTH + (crc ? 2 : 0)) {
            return null;
        }
        int blocks = (data[offset + 6] & 0x03) + 1;
        return new Frame(length, 1024 * blocks, ADTS_HZ[rateIndex]);
    }

    /**
     * One frame: its length in bytes, header included, and how many samples (per channel) it plays.
     */
    record Frame(int length, int samples, int sampleRate) {
    }
}
