package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.DataReader;

/**
 * HTTP/1.1 chunked framing (RFC 9112 7.1) of a request body, as encoders send a streaming {@code PUT}:
 * each chunk's data is handed on as it arrives, never more than the chunk holds.
 *
 * <p>Tolerances, as encoders need them: a line may end with LF alone, blanks stand around the size,
 * extensions ({@code ;name=value}) and trailers are read past. A size that is not hexadecimal digits
 * ends the body with {@link NumberFormatException}: {@code Long.parseLong} alone also takes a sign, and
 * {@code "-A"} made a negative size that skipped the data and read on from the middle of the audio
 * (found by {@code ChunkedBodyFuzzTest}).
 */
final class ChunkedBody {

    /** The longest chunk-size line taken: an encoder's is a few bytes, extensions included. */
    private static final int MAX_SIZE_LINE = 1024;

    /** Where a chunk's data goes, in as many pieces as the reads brought it. */
    @FunctionalInterface
    interface DataSink {
        void accept(byte[] bytes, int offset, int length);
    }

    private ChunkedBody() {
    }

    /**
     * Reads chunks until the last (size 0) one.
     *
     * @throws NumberFormatException a size line that is not a hexadecimal size, or too long
     * @throws DataReader.InsufficientDataAvailableException the connection ended inside the body
     */
    static void read(DataReader reader, DataSink data) {
        while (true) {
            String sizeLine = asciiLine(reader);
            int semicolon = sizeLine.indexOf(';');
            String digits = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
                throw new NumberFormatException("chunk size is not hexadecimal: " + digits);
            }
            long size = Long.parseLong(digits, 16);
            if (size == 0) {
                return; // trailers, if any, are of no interest
            }
            while (size > 0) {
                reader.ensureAvailable();
                int take = (int) Math.min(size, reader.available());
                byte[] bytes = reader.readBytes(take);
                data.accept(bytes, 0, take);
                size -= take;
            }
            asciiLine(reader); // CRLF after the chunk data
        }
    }

    private static String asciiLine(DataReader reader) {
        StringBuilder line = new StringBuilder(16);
        while (true) {
            byte b = reader.read();
            if (b == '\n') {
                return line.toString().strip();
            }
            if (line.length() > MAX_SIZE_LINE) {
                throw new NumberFormatException("chunk size line too long");
            }
            line.append((char) b);
        }
    }
}
