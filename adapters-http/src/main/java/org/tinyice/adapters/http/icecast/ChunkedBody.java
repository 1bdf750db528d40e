package org.tinyice.adapters.http.icecast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * HTTP/1.1 chunked framing (RFC 9112 7.1) of a request body, as encoders send a streaming {@code PUT}:
 * each chunk's data is handed on as it arrives, never more than the chunk holds.
 *
 * <p>A decoder that bytes are pushed through ({@link #accept}), whatever their sizes, rather than one that
 * pulls lines from a reader: its place in the framing is then a value ({@link #state()}) that a take-over
 * carries to the new process, whose decoder goes on from the very byte this one stopped at
 * ({@link #resume}).
 *
 * <p>Tolerances, as encoders need them: a line may end with LF alone, blanks stand around the size,
 * extensions ({@code ;name=value}) and trailers are read past. A size that is not hexadecimal digits
 * ends the body with {@link NumberFormatException}: {@code Long.parseLong} alone also takes a sign, and
 * {@code "-A"} made a negative size that skipped the data and read on from the middle of the audio
 * (found by {@code ChunkedBodyFuzzTest}).
 */
public final class ChunkedBody {

    /** The longest chunk-size line taken: an encoder's is a few bytes, extensions included. */
    private static final int MAX_SIZE_LINE = 1024;

    /** Where a chunk's data goes, in as many pieces as the reads brought it. */
    @FunctionalInterface
    public interface DataSink {
        void accept(byte[] bytes, int offset, int length);
    }

    private enum Expecting { SIZE_LINE, DATA, LINE_AFTER_DATA, END }

    private Expecting expecting = Expecting.SIZE_LINE;
    private final StringBuilder line = new StringBuilder(16);
    private long remaining;

    public ChunkedBody() {
    }

    /** A decoder that goes on where the one whose {@link #state()} this is stopped. */
    public static ChunkedBody resume(byte[] state) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            ChunkedBody body = new ChunkedBody();
            body.expecting = Expecting.valueOf(in.readUTF());
            body.line.append(in.readUTF());
            body.remaining = in.readLong();
            return body;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a chunked body's state", e);
        }
    }

    /** Where this decoder is in the framing: what {@link #resume} needs. */
    public byte[] state() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(expecting.name());
            out.writeUTF(line.toString());
            out.writeLong(remaining);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether the last chunk has come: the body is over. */
    public boolean ended() {
        return expecting == Expecting.END;
    }

    /** Decodes bytes as they came; what follows the last chunk (trailers) is of no interest. */
    public void accept(byte[] bytes, int offset, int length, DataSink data) {
        int at = offset;
        int end = offset + length;
        while (at < end && expecting != Expecting.END) {
            if (expecting == Expecting.DATA) {
                int take = (int) Math.min(remaining, end - at);
                data.accept(bytes, at, take);
                at += take;
                remaining -= take;
                if (remaining == 0) {
                    expecting = Expecting.LINE_AFTER_DATA; // the CRLF after the chunk data
                }
                continue;
            }
            byte b = bytes[at++];
            if (b == '\n') {
                lineEnded();
            } else {
                if (line.length() > MAX_SIZE_LINE) {
                    throw new NumberFormatException("chunk size line too long");
                }
                line.append((char) (b & 0xFF));
            }
        }
    }

    private void lineEnded() {
        String text = line.toString().strip();
        line.setLength(0);
        if (expecting == Expecting.LINE_AFTER_DATA) {
            expecting = Expecting.SIZE_LINE;
            return;
        }
        int semicolon = text.indexOf(';');
        String digits = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
            throw new NumberFormatException("chunk size is not hexadecimal: " + digits);
        }
        long size = Long.parseLong(digits, 16);
        if (size == 0) {
            expecting = Expecting.END;
        } else {
            remaining = size;
            expecting = Expecting.DATA;
        }
    }
}
