package org.tinyice.adapters.http;

/**
 * The one rule for text a client sent that TinyIce writes back out (listener response heads, playlist
 * lines, XML): control characters become spaces. A request head keeps a bare CR inside a value, and the
 * path of a playlist request may decode to a CR or LF; written back, either would start a header or a
 * playlist entry of the client's choosing. Spaces, not removal, so words stay apart, as RFC 9110 5.5
 * allows for CR, LF and NUL. Bytes 0x80 to 0x9F stay: headers are read as ISO-8859-1, and UTF-8 names
 * are made of such bytes.
 */
public final class EchoedText {

    private EchoedText() {
    }

    public static String oneLine(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return replaceControls(text);
            }
        }
        return text;
    }

    /**
     * Text for HTML or XML, in an element or a quoted attribute: on one line, with the five markup
     * characters escaped ({@code &#39;}, not {@code &apos;}, for the apostrophe: HTML 4 has no
     * {@code &apos;}, and both read {@code &#39;}). Control characters go too: XML 1.0 text may not hold them.
     */
    public static String markup(String text) {
        String line = oneLine(text);
        StringBuilder out = new StringBuilder(line.length() + 16);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
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
