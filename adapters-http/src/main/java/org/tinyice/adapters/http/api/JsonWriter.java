package org.tinyice.adapters.http.api;

import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON the server answers with, written by JSON-P's generator (so one library quotes every string
 * the server writes) behind the few calls the answers need: key order is the order of the calls, and a
 * null string is written as {@code null}.
 */
public final class JsonWriter {

    /** Made once: {@link JsonProvider#provider()} searches the class path on every call. */
    private static final JsonGeneratorFactory GENERATORS = JsonProvider.provider().createGeneratorFactory(Map.of());

    private final StringWriter out = new StringWriter(256);
    private final JsonGenerator json = GENERATORS.createGenerator(out);

    public JsonWriter beginObject() {
        json.writeStartObject();
        return this;
    }

    public JsonWriter endObject() {
        json.writeEnd();
        return this;
    }

    public JsonWriter beginArray() {
        json.writeStartArray();
        return this;
    }

    public JsonWriter endArray() {
        json.writeEnd();
        return this;
    }

    /** Starts a member; follow with a value, an object or an array. */
    public JsonWriter name(String name) {
        json.writeKey(name);
        return this;
    }

    public JsonWriter value(String value) {
        if (value == null) {
            json.writeNull();
        } else {
            json.write(value);
        }
        return this;
    }

    public JsonWriter value(long value) {
        json.write(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        json.write(value);
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

    @Override
    public String toString() {
        json.flush();
        return out.toString();
    }
}
