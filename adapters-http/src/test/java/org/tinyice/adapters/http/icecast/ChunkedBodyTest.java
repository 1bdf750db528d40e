package org.tinyice.adapters.http.icecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A chunked body's decoder stopped anywhere and resumed from its state (a take-over) loses and repeats nothing. */
class ChunkedBodyTest {

    @Test
    void aDecoderResumedFromItsStateAtAnyByteGoesOnExactlyWhereTheOtherStopped() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 1; i <= 6; i++) {
            byte[] chunk = new byte[37 * i];
            for (int j = 0; j < chunk.length; j++) {
                chunk[j] = (byte) (i * 31 + j);
            }
            wire.writeBytes((Integer.toHexString(chunk.length) + (i % 2 == 0 ? ";ext=1" : "") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            wire.writeBytes(chunk);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            sent.writeBytes(chunk);
        }
        wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] body = wire.toByteArray();

        for (int cut = 0; cut <= body.length; cut++) {
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            ChunkedBody first = new ChunkedBody();
            first.accept(body, 0, cut, audio::write);
            ChunkedBody next = ChunkedBody.resume(first.state());
            next.accept(body, cut, body.length - cut, audio::write);

            assertArrayEquals(sent.toByteArray(), audio.toByteArray(), "cut at byte " + cut);
            assertTrue(next.ended(), "the last chunk was seen, cut at byte " + cut);
        }
    }

    @Test
    void aFreshDecoderHasNotEnded() {
        assertFalse(ChunkedBody.resume(new ChunkedBody().state()).ended());
    }
}
