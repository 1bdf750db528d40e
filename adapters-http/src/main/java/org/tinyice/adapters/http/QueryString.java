package org.tinyice.adapters.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code a=1&b=2} decoding, for Icecast's query strings and the dashboard's url-encoded forms alike.
 * Icecast clients need the charset: libshout sends {@code charset=UTF%2d8} with its metadata and older
 * tools send Latin-1, so the charset parameter decides how the other values' percent-escapes are read.
 */
public final class QueryString {

    private QueryString() {
    }

    public static Map<String, String> parse(String query, Charset charset) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8, true);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), charset, true);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    /** The charset named by a {@code charset=} parameter of this target, else UTF-8. */
    public static Charset charsetOf(String target) {
        int question = target.indexOf('?');
        if (question < 0) {
            return StandardCharsets.UTF_8;
        }
        String named = parse(target.substring(question + 1), StandardCharsets.US_ASCII).get("charset");
        if (named == null || named.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(named.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Percent-decodes; malformed escapes are kept as they are rather than failing the request. */
    public static String decode(String text, Charset charset, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0
                    && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                // a character outside the BMP is two chars; encoded one by one each became "?"
                // (found by QueryStringFuzzTest)
                int end = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1)) ? i + 2 : i + 1;
                byte[] encoded = text.substring(i, end).getBytes(charset);
                bytes.write(encoded, 0, encoded.length);
                i = end - 1;
            }
        }
        return bytes.toString(charset);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
