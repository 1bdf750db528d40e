package org.tinyice.adapters.persistence.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader that remembers the line of every value, so that a configuration mistake can be
 * reported as "tinyice.json line 12: max_listeners must be a whole number" rather than a stack trace.
 * It reads RFC 8259 JSON only (no comments, no trailing commas) and rejects duplicate keys.
 */
final class Json {

    sealed interface Value permits Obj, Arr, Str, Num, Bool, Null {
        int line();
    }

    record Member(String key, int line, Value value) { }

    record Obj(Map<String, Member> members, int line) implements Value { }

    record Arr(List<Value> items, int line) implements Value { }

    record Str(String value, int line) implements Value { }

    record Num(BigDecimal value, int line) implements Value { }

    record Bool(boolean value, int line) implements Value { }

    record Null(int line) implements Value { }

    /** A syntax error at a line. */
    static final class SyntaxException extends Exception {
        final int line;

        SyntaxException(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final String text;
    private int at;
    private int line = 1;

    private Json(String text) {
        this.text = text;
    }

    static Value parse(String text) throws SyntaxException {
        Json json = new Json(text);
        json.skipSpace();
        Value value = json.value();
        json.skipSpace();
        if (json.at < text.length()) {
            throw new SyntaxException(json.line, "unexpected text after the end of the JSON value");
        }
        return value;
    }

    private Value value() throws SyntaxException {
        if (at >= text.length()) {
            throw new SyntaxException(line, "unexpected end of file");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new Str(string(), line);
            case 't' -> literal("true", new Bool(true, line));
            case 'f' -> literal("false", new Bool(false, line));
            case 'n' -> literal("null", new Null(line));
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new SyntaxException(line, "unexpected character '" + c + "'");
            }
        };
    }

    private Obj object() throws SyntaxException {
        int startLine = line;
        at++;
        Map<String, Member> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            at++;
            return new Obj(members, startLine);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw new SyntaxException(line, "expected a quoted key");
            }
            int keyLine = line;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Value value = value();
            if (members.put(key, new Member(key, keyLine, value)) != null) {
                throw new SyntaxException(keyLine, "duplicate key \"" + key + "\"");
            }
            skipSpace();
            char c = peek();
            at++;
            if (c == '}') {
                return new Obj(members, startLine);
            }
            if (c != ',') {
                throw new SyntaxException(line, "expected ',' or '}' after a value");
            }
        }
    }

    private Arr array() throws SyntaxException {
        int startLine = line;
        at++;
        List<Value> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            at++;
            return new Arr(items, startLine);
        }
        while (true) {
            skipSpace();
            items.add(value());
            skipSpace();
            char c = peek();
            at++;
            if (c == ']') {
                return new Arr(items, startLine);
            }
            if (c != ',') {
                throw new SyntaxException(line, "expected ',' or ']' after a value");
            }
        }
    }

    private String string() throws SyntaxException {
        at++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw new SyntaxException(line, "unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\n' || c < 0x20) {
                throw new SyntaxException(line, "control character in a string (missing closing quote?)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw new SyntaxException(line, "unterminated string");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new SyntaxException(line, "bad \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new SyntaxException(line, "bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw new SyntaxException(line, "bad escape \\" + e);
            }
        }
    }

    private Num number() throws SyntaxException {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        try {
            return new Num(new BigDecimal(text.substring(start, at)), line);
        } catch (NumberFormatException e) {
            throw new SyntaxException(line, "bad number '" + text.substring(start, at) + "'");
        }
    }

    private Value literal(String word, Value value) throws SyntaxException {
        if (!text.startsWith(word, at)) {
            throw new SyntaxException(line, "unexpected word (strings need double quotes)");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw new SyntaxException(line, "expected '" + c + "'");
        }
        at++;
    }

    private char peek() throws SyntaxException {
        if (at >= text.length()) {
            throw new SyntaxException(line, "unexpected end of file");
        }
        return text.charAt(at);
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                line++;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            at++;
        }
    }

    /** A JSON string literal for {@code value}. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
