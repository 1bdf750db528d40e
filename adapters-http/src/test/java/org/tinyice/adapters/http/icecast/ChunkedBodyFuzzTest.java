package org.tinyice.adapters.http.icecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The chunked-body decoder of a source's {@code PUT} ({@link ChunkedBody}, RFC 9112 7.1), driven as {@link SourceReader} drives it: the bytes split into reads of any size.
 * For any bytes it ends (last chunk, or the end of the input) or refuses a bad size with
 * {@link NumberFormatException}, and never hands on more audio than it was sent. When it accepts a
 * body as complete, every chunk size in it was hexadecimal digits, and what it handed on is exactly the
 * data of the chunks; a body an encoder frames, with any chunk sizes and extensions, comes out whole.
 */
class ChunkedBodyFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void anyBodyEndsOrIsRefusedAndOnlyValidFramingCompletes(FuzzedDataProvider data) throws Exception {
        int slice = data.consumeInt(1, 600);
        byte[] body = data.consumeRemainingAsBytes();
        ByteArrayOutputStream audio = new ByteArrayOutputStream();

        Optional<Throwable> failure = decode(body, slice, audio);

        assertTrue(audio.size() <= body.length, "more audio than bytes sent");
        if (failure.isPresent()) {
            Throwable t = failure.get();
            if (!(t instanceof NumberFormatException) && !(t instanceof EOFException)) {
                fail("unexpected " + t, t);
            }
            return;
        }
        byte[] expected = strictlyDecoded(body);
        if (expected == null) {
            fail("accepted as complete a body whose framing is not valid: "
                    + new String(body, StandardCharsets.ISO_8859_1));
        }
        assertArrayEquals(expected, audio.toByteArray());
    }

    @FuzzTest(maxDuration = "2m")
    void aFramedBodyComesOutWhole(FuzzedDataProvider data) throws Exception {
        int slice = data.consumeInt(1, 600);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int chunks = data.consumeInt(0, 10);
        for (int i = 0; i < chunks; i++) {
            byte[] chunk = data.consumeBytes(data.consumeInt(1, 2000));
            if (chunk.length == 0) {
                break;
            }
            String size = Integer.toHexString(chunk.length);
            if (data.consumeBoolean()) {
                size = size.toUpperCase(java.util.Locale.ROOT);
            }
            String extension = data.consumeBoolean() ? ";name=" + data.consumeAsciiString(10).replaceAll("[\\r\\n]", "") : "";
            wire.writeBytes((size + extension + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.writeBytes(chunk);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            sent.writeBytes(chunk);
        }
        wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream audio = new ByteArrayOutputStream();

        Optional<Throwable> failure = decode(wire.toByteArray(), slice, audio);

        assertEquals(Optional.empty(), failure);
        assertArrayEquals(sent.toByteArray(), audio.toByteArray());
    }

    /**
     * Feeds the decoder reads of {@code slice} bytes, as {@link SourceReader} does, until the last chunk;
     * empty when it saw the last chunk, {@link EOFException} when the bytes ended before it.
     */
    private static Optional<Throwable> decode(byte[] body, int slice, ByteArrayOutputStream audio) {
        ChunkedBody decoder = new ChunkedBody();
        try {
            for (int at = 0; at < body.length && !decoder.ended(); at += slice) {
                decoder.accept(body, at, Math.min(slice, body.length - at), audio::write);
            }
            return decoder.ended() ? Optional.empty() : Optional.of(new EOFException("the body ended before its last chunk"));
        } catch (RuntimeException e) {
            return Optional.of(e);
        }
    }

    /**
     * The body's data if it is a complete chunked body whose sizes are hexadecimal digits (with the
     * decoder's tolerances: LF alone ends a line, blanks around the size, and whatever else stands on
     * the line after a chunk's data), else null.
     */
    private static byte[] strictlyDecoded(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (true) {
            int lineEnd = indexOf(body, (byte) '\n', position);
            if (lineEnd < 0) {
                return null;
            }
            String line = new String(body, position, lineEnd - position, StandardCharsets.ISO_8859_1).strip();
            position = lineEnd + 1;
            int semicolon = line.indexOf(';');
            String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            if (size.isEmpty() || !size.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
                return null;
            }
            long length;
            try {
                length = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                return null;
            }
            if (length == 0) {
                return out.toByteArray();
            }
            if (length > body.length - position) {
                return null;
            }
            out.write(body, position, (int) length);
            position += (int) length;
            int after = indexOf(body, (byte) '\n', position);
            if (after < 0) {
                return null;
            }
            position = after + 1;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
