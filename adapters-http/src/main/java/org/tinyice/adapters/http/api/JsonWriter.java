package org.tinyice.adapters.http.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A small streaming JSON writer: the API's answers are flat and few, and writing them by hand keeps
 * key order stable and adds no dependency. Commas are placed automatically.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(256);
    private boolean needComma;

    public JsonWriter beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Starts a member; follow with a value, an object or an array. */
    public JsonWriter name(String name) {
        comma();
        out.append(quote(name)).append(':');
        needComma = false;
        return this;
    }

    public JsonWriter value(String value) {
        comma();
        out.append(value == null ? "null" : quote(value));
        needComma = true;
        return this;
    }

    public JsonWriter value(long value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    public JsonWriter value(boolean value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    public JsonWriter value(Instant value) {
        return value(value == null ? null : value.toString());
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, Instant value) {
        return name(name).value(value);
    }

    /** A member only when the value is there (the API leaves absent values out rather than writing null). */
    public JsonWriter field(String name, Optional<String> value) {
        value.ifPresent(v -> field(name, v));
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** A JSON string literal. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
