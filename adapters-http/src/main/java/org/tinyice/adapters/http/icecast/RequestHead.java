package org.tinyice.adapters.http.icecast;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tinyice.adapters.http.BasicCredentials;
import org.tinyice.adapters.http.QueryString;
import org.tinyice.application.port.in.Credentials;

/**
 * A parsed request line and header block.
 *
 * @param method  as sent ({@code GET}, {@code SOURCE}, ...)
 * @param target  the raw request target, e.g. {@code /admin/metadata?mount=%2Flive}
 * @param version e.g. {@code HTTP/1.0}
 * @param headers in arrival order, names as sent
 */
record RequestHead(String method, String target, String version, List<Header> headers) {

    record Header(String name, String value) { }

    /** The first value of a header, by case-insensitive name. */
    /** Every value of header {@code name}, in the order they came (a proxy may add a line of its own). */
    List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    Optional<String> header(String name) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return Optional.of(header.value());
            }
        }
        return Optional.empty();
    }

    boolean headerIs(String name, String value) {
        return header(name).map(v -> v.trim().equalsIgnoreCase(value)).orElse(false);
    }

    boolean isHttp11() {
        return version.equals("HTTP/1.1");
    }

    /**
     * Whether a body follows this head: a {@code Content-Length} other than 0 (any of them, if several),
     * any {@code Transfer-Encoding}, or {@code Expect: 100-continue}.
     */
    boolean announcesBody() {
        for (Header header : headers) {
            String name = header.name();
            String value = header.value().trim().toLowerCase(Locale.ROOT);
            if (name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Content-Length") && !value.equals("0")
                    || name.equalsIgnoreCase("Expect") && value.contains("100-continue")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the connection may stay open after a bodiless answer: the client wants it, and sent no body
     * (no answer here reads one, and an unread body must not be taken for the next request).
     */
    boolean wantsKeepAlive() {
        if (announcesBody()) {
            return false;
        }
        Optional<String> connection = header("Connection").map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (connection.isPresent()) {
            return connection.get().contains("keep-alive");
        }
        return isHttp11();
    }

    /** The path part of the target, percent-decoded (UTF-8). */
    String path() {
        String raw = rawPath();
        return QueryString.decode(raw, StandardCharsets.UTF_8, false);
    }

    String rawPath() {
        String t = target;
        if (t.startsWith("http://") || t.startsWith("https://")) {
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int question = t.indexOf('?');
        return question < 0 ? t : t.substring(0, question);
    }

    /** The path and the query as sent (still encoded), without an absolute target's scheme and host. */
    String rawPathAndQuery() {
        int question = target.indexOf('?');
        return rawPath() + (question < 0 ? "" : target.substring(question));
    }

    /** Query parameters decoded with {@code charset} (first value wins). */
    Map<String, String> query(Charset charset) {
        int question = target.indexOf('?');
        if (question < 0) {
            return Map.of();
        }
        return QueryString.parse(target.substring(question + 1), charset);
    }

    Map<String, String> query() {
        return query(QueryString.charsetOf(target));
    }

    /** HTTP Basic credentials, if the client sent any that decode. */
    Optional<Credentials> credentials() {
        return BasicCredentials.parse(header("Authorization"));
    }

    /** Headers as a case-preserving map (first value wins); for source info. */
    Map<String, String> headerMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.putIfAbsent(header.name().toLowerCase(Locale.ROOT), header.value());
        }
        return map;
    }
}
