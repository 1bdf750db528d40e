package org.tinyice.adapters.http;

import java.util.Optional;

/** An API token from an {@code Authorization: Bearer <token>} header, for the JSON API and the dashboard. */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token, or empty when the header is absent or not a bearer token. */
    public static Optional<String> parse(Optional<String> authorization) {
        return authorization.map(String::trim)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(token -> !token.isEmpty());
    }
}
