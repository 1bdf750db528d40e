package org.tinyice.adapters.http.icecast;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.tinyice.adapters.http.EchoedText;

/**
 * Icecast 2.4.4's response heads, byte for byte where clients care: an {@code HTTP/1.0} status line,
 * {@code Connection: Close}, the no-cache trio and {@code Access-Control-Allow-Origin: *} on every
 * answer (errors too), so web players on other origins can read streams and status.
 *
 * <p>Unlike Icecast's, every answer also carries {@code X-Content-Type-Options: nosniff} and
 * {@code Content-Security-Policy: sandbox}: streams, playlists and status come from the origin of the
 * logged-in dashboard, and none of them needs script or that origin. Players ignore both. Every header
 * value passes through {@link EchoedText}, whoever it came from.
 */
final class IcecastResponse {

    static final String SERVER = "TinyIce/0.1 (Icecast 2.4.4 compatible)";
    static final String REALM = "Icecast2 Server";

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private final StringBuilder head = new StringBuilder(256);

    private IcecastResponse(String statusLine, boolean keepAlive) {
        head.append(statusLine).append("\r\n");
        header("Server", SERVER);
        header("Connection", keepAlive ? "Keep-Alive" : "Close");
        header("Date", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }

    /** A head with Icecast's fixed header block; {@code contentType} may be null. */
    static IcecastResponse of(int status, String reason, String contentType, boolean keepAlive) {
        IcecastResponse response = new IcecastResponse("HTTP/1.0 " + status + " " + reason, keepAlive);
        if (contentType != null) {
            response.header("Content-Type", contentType);
        }
        return response.fixedHeaders();
    }

    /**
     * A head for HLS: unlike Icecast's answers it may be cached ({@code cacheControl}), so it has no
     * no-cache trio, and its status line is HTTP/1.1 so a proxy keeps the connection alive.
     */
    static IcecastResponse cacheable(int status, String reason, String contentType, boolean keepAlive,
                                     String cacheControl) {
        IcecastResponse response = new IcecastResponse("HTTP/1.1 " + status + " " + reason, keepAlive);
        if (contentType != null) {
            response.header("Content-Type", contentType);
        }
        response.header("Cache-Control", cacheControl);
        response.header("Access-Control-Allow-Origin", "*");
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Content-Security-Policy", "sandbox");
        return response;
    }

    /** The head of an answer to HEAD: the length the body would have, without the body. */
    byte[] headOnly(int bodyLength) {
        header("Content-Length", Integer.toString(bodyLength));
        return head();
    }

    private IcecastResponse fixedHeaders() {
        IcecastResponse response = this;
        response.header("Cache-Control", "no-cache, no-store");
        response.header("Expires", "Mon, 26 Jul 1997 05:00:00 GMT");
        response.header("Pragma", "no-cache");
        response.header("Access-Control-Allow-Origin", "*");
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Content-Security-Policy", "sandbox");
        return response;
    }

    IcecastResponse header(String name, String value) {
        head.append(name).append(": ").append(EchoedText.oneLine(value)).append("\r\n");
        return this;
    }

    /** Icecast writes listener icy-* headers without a space after the colon; players are used to it. */
    IcecastResponse rawHeader(String line) {
        head.append(EchoedText.oneLine(line)).append("\r\n");
        return this;
    }

    /** The head alone (a stream follows). */
    byte[] head() {
        return (head + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head with a {@code Content-Length} and this body. */
    byte[] withBody(byte[] body) {
        header("Content-Length", Integer.toString(body.length));
        byte[] h = head();
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    byte[] withBody(String body) {
        return withBody(body.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the canned answers ----

    /** Icecast puts its challenge right after {@code Content-Type}, before the fixed headers. */
    static byte[] unauthorized(boolean keepAlive) {
        return new IcecastResponse("HTTP/1.0 401 Authentication Required", keepAlive)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"")
                .fixedHeaders()
                .withBody("You need to authenticate\r\n");
    }

    static byte[] forbidden(String message) {
        return of(403, "Forbidden", "text/plain; charset=utf-8", false).withBody(message);
    }

    static byte[] htmlError(int status, String reason, String message) {
        return of(status, reason, "text/html; charset=utf-8", false).withBody(
                "<html><head><title>Error " + status + "</title></head><body><b>" + status + " - "
                        + EchoedText.markup(message) + "</b></body></html>\r\n");
    }

    /** Icecast's redirect of a listener to another server (Icecast-KH's 302 to a slave when full). */
    static byte[] found(String location) {
        return of(302, "Found", "text/html; charset=utf-8", false).header("Location", location).withBody(
                "<html><head><title>302 Found</title></head><body>Moved <a href=\"" + EchoedText.markup(location)
                        + "\">here</a></body></html>\r\n");
    }

    static byte[] notFound() {
        return htmlError(404, "File Not Found", "The file you requested could not be found");
    }

    static byte[] badRequest(String message) {
        return htmlError(400, "Bad Request", message);
    }

    static byte[] xml(String body) {
        return of(200, "OK", "text/xml; charset=utf-8", false).withBody(body);
    }

    /** Icecast's {@code <iceresponse>} answer for admin commands. */
    static byte[] iceResponse(String message, int returnCode) {
        return xml("<?xml version=\"1.0\"?>\n<iceresponse><message>" + EchoedText.markup(message) + "</message><return>"
                + returnCode + "</return></iceresponse>\n");
    }

}
