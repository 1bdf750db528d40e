package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * The session cookie: sent only to {@code /admin} paths, never readable by scripts (HttpOnly), not
 * sent with cross-site subrequests or form posts (SameSite=Lax), and only over TLS when the login
 * came over TLS (Secure).
 */
final class SessionCookie {

    static final String NAME = "tinyice_session";

    private SessionCookie() {
    }

    static Optional<String> read(ServerRequest req) {
        // HTTP/1.1 clients send their cookies in one Cookie header
        for (String header : req.headers().first(HeaderNames.COOKIE).stream().toList()) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(NAME)) {
                    String value = pair.substring(eq + 1).trim();
                    if (!value.isEmpty()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static void set(ServerRequest req, ServerResponse res, String sessionId) {
        res.header(HeaderNames.SET_COOKIE, NAME + "=" + sessionId + "; Path=/admin; HttpOnly; SameSite=Lax"
                + (req.isSecure() ? "; Secure" : ""));
    }

    static void clear(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.SET_COOKIE, NAME + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Lax"
                + (req.isSecure() ? "; Secure" : ""));
    }
}
