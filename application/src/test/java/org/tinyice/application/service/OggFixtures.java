package org.tinyice.application.service;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Minimal synthetic Ogg Opus streams (no CRC: nothing here checks it). */
final class OggFixtures {

    private OggFixtures() {
    }

    static byte[] page(int headerType, long granule, int pageSequence, byte[] body) {
        ByteBuffer page = ByteBuffer.allocate(27 + 1 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) headerType)
                .putLong(granule).putInt(1).putInt(pageSequence).putInt(0).put((byte) 1)
                .put((byte) body.length).put(body);
        return page.array();
    }

    /** OpusHead and OpusTags pages followed by {@code audioPages} pages of 200 bytes. */
    static byte[] opusStream(int audioPages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(page(0x02, 0, 0, "OpusHead\u0001\u0002\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1)));
        out.writeBytes(page(0, 0, 1, "OpusTags\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1)));
        for (int i = 0; i < audioPages; i++) {
            out.writeBytes(page(0, 960L * (i + 1), 2 + i, new byte[200]));
        }
        return out.toByteArray();
    }
}
