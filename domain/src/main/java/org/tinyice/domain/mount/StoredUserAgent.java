package org.tinyice.domain.mount;

/**
 * A client's {@code User-Agent} as TinyIce keeps it (the listener record, its history row kept for
 * months, the access log, the hook's {@code agent} field): at most {@value #MAX_BYTES} bytes of UTF-8,
 * cut between characters. A request head may hold a 16 KiB agent; no real player sends a tenth of that.
 */
public final class StoredUserAgent {

    public static final int MAX_BYTES = 512;

    private StoredUserAgent() {
    }

    /** The agent as kept: null becomes empty, a long one loses its tail, never half a character. */
    public static String of(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        if (userAgent.length() * 3 <= MAX_BYTES) {
            return userAgent; // even three bytes per char would fit: the usual case costs no counting
        }
        int bytes = 0;
        int end = 0;
        while (end < userAgent.length()) {
            int codePoint = userAgent.codePointAt(end);
            bytes += utf8Length(codePoint);
            if (bytes > MAX_BYTES) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return userAgent.substring(0, end);
    }

    /** A lone surrogate counts as three bytes, as the replacement character it would be written as. */
    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
