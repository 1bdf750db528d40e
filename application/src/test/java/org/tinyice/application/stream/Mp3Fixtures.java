package org.tinyice.application.stream;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * MP3 frames built by hand: MPEG-1 Layer III, 64 kbit/s, 32 kHz, so every frame is exactly 288 bytes
 * and 36 ms (no padding), and a second of them is exactly 8,000 bytes.
 */
final class Mp3Fixtures {

    static final int FRAME_LENGTH = 288;
    static final long FRAME_NANOS = 36_000_000;

    private Mp3Fixtures() {
    }

    /** One frame whose audio bytes are all {@code fill} (never 0xFF, so nothing in it looks like a header). */
    static byte[] frame(int fill) {
        byte[] frame = new byte[FRAME_LENGTH];
        Arrays.fill(frame, (byte) fill);
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xFB; // MPEG-1, Layer III, no CRC
        frame[2] = (byte) 0x58; // 64 kbit/s, 32 kHz, not padded
        frame[3] = 0x00;        // stereo
        return frame;
    }

    /** {@code count} frames, the n-th filled with {@code n % 100 + 1}, so a position in the file can be told. */
    static byte[] frames(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(frame(i % 100 + 1));
        }
        return out.toByteArray();
    }

    /** LAME's Info frame: a frame with "Info" where the side information ends (4 + 32 bytes in, stereo). */
    static byte[] infoFrame() {
        byte[] frame = frame(0);
        System.arraycopy("Info".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, frame, 36, 4);
        return frame;
    }

    /** An ID3v2.4 tag whose body holds bytes that look like frame headers, so only skipping it is right. */
    static byte[] id3v2(int bodyLength) {
        byte[] tag = new byte[10 + bodyLength];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = 4;
        for (int i = 0; i < 4; i++) {
            tag[6 + i] = (byte) ((bodyLength >> (7 * (3 - i))) & 0x7F);
        }
        for (int i = 10; i + 4 <= tag.length; i += 4) {
            System.arraycopy(frame(1), 0, tag, i, 4);
        }
        return tag;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
