package org.tinyice.adapters.http.icecast;

/**
 * The one rule for text a client sent that TinyIce writes back out (listener response heads, playlist
 * lines, XML): control characters become spaces. A request head keeps a bare CR inside a value, and the
 * path of a playlist request may decode to a CR or LF; written back, either would start a header or a
 * playlist entry of the client's choosing. Spaces, not removal, so words stay apart, as RFC 9110 5.5
 * allows for CR, LF and NUL. Bytes 0x80 to 0x9F stay: headers are read as ISO-8859-1, and UTF-8 names
 * are made of such bytes.
 */
final class EchoedText {

    private EchoedText() {
    }

    static String oneLine(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return replaceControls(text);
            }
        }
        return text;
    }

    private static String replaceControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(isControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7F;
    }
}
