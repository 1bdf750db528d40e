package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.DataReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one request head (request line and headers up to the empty line) from a connection,
 * leaving every byte after it in the reader: SOURCE clients send audio right behind the head
 * without waiting for an answer, and those bytes must not be lost.
 *
 * <p>Lines may end in CRLF or a bare LF (some hand-rolled encoders). The head is limited to
 * {@value #MAX_HEAD_BYTES} bytes and {@value #MAX_HEADERS} headers; anything bigger is refused
 * before it can cost memory.
 */
final class RequestHeadReader {

    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 100;

    /** Why a head could not be read; the connection answers with {@code status} and closes. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private RequestHeadReader() {
    }

    static RequestHead read(DataReader reader) throws BadRequest {
        int[] budget = {MAX_HEAD_BYTES};
        String requestLine = line(reader, budget);
        while (requestLine.isEmpty()) {
            requestLine = line(reader, budget); // tolerate stray CRLF between requests (RFC 9112 2.2)
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new BadRequest(400, "Malformed request line");
        }
        String method = parts[0];
        String version = parts[2];
        if (!isToken(method)) {
            throw new BadRequest(400, "Malformed request method");
        }
        if (!version.startsWith("HTTP/") && !version.startsWith("ICE/")) {
            throw new BadRequest(400, "Unsupported protocol version");
        }
        return new RequestHead(method, parts[1], version, headers(reader, budget));
    }

    /**
     * A SHOUTcast v1 encoder's header block (after its password line and Icecast's {@code OK2}), read
     * as the head of a {@code SOURCE mount HTTP/1.0} request: Icecast 2.4 turns it into exactly that,
     * so the source takes the same path as any other from here on.
     */
    static RequestHead readShoutcastHeaders(DataReader reader, String mountPath) throws BadRequest {
        return new RequestHead("SOURCE", mountPath, "HTTP/1.0", headers(reader, new int[] {MAX_HEAD_BYTES}));
    }

    /** One line of at most {@code maxBytes} bytes (a SHOUTcast password line), without its line end. */
    static String readLine(DataReader reader, int maxBytes) throws BadRequest {
        return line(reader, new int[] {maxBytes});
    }

    private static List<RequestHead.Header> headers(DataReader reader, int[] budget) throws BadRequest {
        List<RequestHead.Header> headers = new ArrayList<>();
        while (true) {
            String line = line(reader, budget);
            if (line.isEmpty()) {
                break;
            }
            if (headers.size() >= MAX_HEADERS) {
                throw new BadRequest(431, "Too many request headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new BadRequest(400, "Malformed header line");
            }
            headers.add(new RequestHead.Header(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
        return List.copyOf(headers);
    }

    private static String line(DataReader reader, int[] budget) throws BadRequest {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            if (budget[0]-- <= 0) {
                throw new BadRequest(431, "Request header block too large");
            }
            byte b = reader.read();
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            if (b == 0) {
                throw new BadRequest(400, "NUL byte in request head");
            }
            // headers are ISO-8859-1 on the wire; UTF-8 titles arrive percent-encoded
            line.append((char) (b & 0xFF));
        }
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** The request line of a first buffer, if it holds a complete one (for the connection selector). */
    static String firstLine(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                int end = i > 0 && bytes[i - 1] == '\r' ? i - 1 : i;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }
}
