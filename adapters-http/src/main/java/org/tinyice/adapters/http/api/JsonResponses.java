package org.tinyice.adapters.http.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The JSON answers of the API and the dashboard: {@code {"message": ...}} when done,
 * {@code {"error": ...}} when not, never stored by a cache (each is about one moment, often one user).
 * The dashboard adds its security headers before answering.
 */
public final class JsonResponses {

    private static final String JSON = "application/json; charset=UTF-8";

    private JsonResponses() {
    }

    public static void ok(ServerResponse res, String message) {
        send(res, Status.OK_200, message("message", message));
    }

    public static void error(ServerResponse res, Status status, String message) {
        send(res, status, message("error", message));
    }

    public static void send(ServerResponse res, Status status, JsonWriter json) {
        send(res, status, json.toString());
    }

    public static void send(ServerResponse res, Status status, String json) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, JSON).header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(json);
    }

    /** {@code {"<key>": "<text>"}}. */
    public static String message(String key, String text) {
        return new JsonWriter().beginObject().field(key, text).endObject().toString();
    }
}
