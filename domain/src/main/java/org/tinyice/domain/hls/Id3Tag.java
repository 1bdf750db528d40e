package org.tinyice.domain.hls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ID3v2.4 tag every packed-audio segment opens with. RFC 8216 section 3.4 requires a PRIV frame
 * owned by {@code com.apple.streaming.transportStreamTimestamp} holding the 33-bit MPEG-2 90 kHz
 * timestamp of the segment's first sample, as 8 big-endian bytes: packed audio has no timestamps of
 * its own, and a player needs them to line segments up. A TIT2 frame carries the title, which
 * Safari and hls.js show as timed metadata.
 */
public final class Id3Tag {

    static final String TIMESTAMP_OWNER = "com.apple.streaming.transportStreamTimestamp";
    /** 2^33: the MPEG-2 timestamp wraps there. */
    static final long TIMESTAMP_WRAP = 1L << 33;

    private Id3Tag() {
    }

    /**
     * The tag: the PRIV timestamp and, when {@code title} is not null, a TIT2 frame with it (UTF-8).
     *
     * @param timestamp90k the first sample's time in 90 kHz ticks; taken modulo 2^33
     */
    public static byte[] of(long timestamp90k, String title) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream(96);
        byte[] owner = TIMESTAMP_OWNER.getBytes(StandardCharsets.ISO_8859_1);
        byte[] priv = new byte[owner.length + 1 + 8];
        System.arraycopy(owner, 0, priv, 0, owner.length);
        long ts = Math.floorMod(timestamp90k, TIMESTAMP_WRAP);
        for (int i = 0; i < 8; i++) {
            priv[owner.length + 1 + i] = (byte) (ts >>> (56 - 8 * i));
        }
        frame(frames, "PRIV", priv);
        if (title != null) {
            byte[] text = title.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[text.length + 1];
            body[0] = 3; // text encoding: UTF-8 (ID3v2.4)
            System.arraycopy(text, 0, body, 1, text.length);
            frame(frames, "TIT2", body);
        }
        byte[] body = frames.toByteArray();
        ByteArrayOutputStream tag = new ByteArrayOutputStream(10 + body.length);
        tag.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0});
        tag.writeBytes(synchsafe(body.length));
        tag.writeBytes(body);
        return tag.toByteArray();
    }

    private static void frame(ByteArrayOutputStream out, String id, byte[] body) {
        out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(synchsafe(body.length)); // ID3v2.4 frame sizes are synchsafe too
        out.writeBytes(new byte[] {0, 0});
        out.writeBytes(body);
    }

    /** 28 bits as four bytes of seven: no byte of a size can look like an MPEG sync. */
    private static byte[] synchsafe(int size) {
        if (size >= 1 << 28) {
            throw new IllegalArgumentException("ID3 tag too large: " + size);
        }
        return new byte[] {(byte) (size >> 21 & 0x7F), (byte) (size >> 14 & 0x7F), (byte) (size >> 7 & 0x7F),
                (byte) (size & 0x7F)};
    }
}
