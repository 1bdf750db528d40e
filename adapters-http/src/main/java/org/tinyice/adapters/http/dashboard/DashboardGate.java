package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.tinyice.adapters.http.BearerToken;
import org.tinyice.adapters.http.CrossSiteRequests;
import org.tinyice.adapters.http.QueryString;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.LogInUseCase.DashboardSession;
import org.tinyice.application.port.in.ManageApiTokensUseCase;

/**
 * Who is asking, for every dashboard request, and the answers they share. A request is a user's when it
 * carries a live session cookie or an API token ({@code Authorization: Bearer ...}). A state-changing
 * request from a session must also carry the session's CSRF token in {@code X-CSRF-Token} and must not
 * come from another site; one with a token needs neither, since a browser never adds a bearer token
 * to a request by itself. Accounts and tokens are changed from a session only ({@link #sessionOnly}):
 * a leaked token must not be able to mint more tokens or accounts that outlive its revocation.
 */
final class DashboardGate {

    static final HeaderName CSRF_HEADER = HeaderNames.create("X-CSRF-Token");
    private static final String JSON = "application/json; charset=UTF-8";
    private static final long MAX_FORM_BYTES = 8 * 1024;

    private final LogInUseCase login;
    private final ManageApiTokensUseCase tokens;

    DashboardGate(LogInUseCase login, ManageApiTokensUseCase tokens) {
        this.login = login;
        this.tokens = tokens;
    }

    /** The user of a read the user made (it keeps the session alive), or empty after answering 401. */
    Optional<DashboardUser> reader(ServerRequest req, ServerResponse res) {
        return user(req, res, true);
    }

    /** As {@link #reader} for background polling: it does not keep an idle session alive. */
    Optional<DashboardUser> poller(ServerRequest req, ServerResponse res) {
        return user(req, res, false);
    }

    private Optional<DashboardUser> user(ServerRequest req, ServerResponse res, boolean activity) {
        Optional<DashboardUser> user = bearer(req).map(tokens::authenticate)
                .orElseGet(() -> session(req, activity).map(DashboardSession::user));
        if (user.isEmpty()) {
            unauthorized(res);
        }
        return user;
    }

    /**
     * The user of a state-changing request, or empty after answering: 401 without a live session or
     * with an unknown token, 403 for another site's request or a missing or wrong CSRF token.
     */
    Optional<DashboardUser> writer(ServerRequest req, ServerResponse res) {
        Optional<String> bearer = bearer(req);
        if (bearer.isPresent()) {
            Optional<DashboardUser> user = tokens.authenticate(bearer.get());
            if (user.isEmpty()) {
                unauthorized(res);
            }
            return user;
        }
        return sessionWriter(req, res).map(DashboardSession::user);
    }

    /** {@link #writer}, then the request's form, then {@code action}; or the answer that stopped it. */
    void withForm(ServerRequest req, ServerResponse res, BiConsumer<DashboardUser, Map<String, String>> action) {
        Optional<DashboardUser> user = writer(req, res);
        if (user.isPresent()) {
            readForm(req, res).ifPresent(form -> action.accept(user.get(), form));
        }
    }

    /**
     * {@link #sessionWriter}, then the request's form, then {@code action}, for what only a person at
     * the dashboard may do (accounts, tokens); a request with an API token gets 403.
     */
    void sessionOnly(ServerRequest req, ServerResponse res, BiConsumer<DashboardSession, Map<String, String>> action) {
        if (bearer(req).isPresent()) {
            error(res, Status.FORBIDDEN_403, "accounts and API tokens are managed from a dashboard session, not"
                    + " with an API token");
            return;
        }
        Optional<DashboardSession> session = sessionWriter(req, res);
        if (session.isPresent()) {
            readForm(req, res).ifPresent(form -> action.accept(session.get(), form));
        }
    }

    /** {@link #writer} for what only a browser session does (logging out). */
    Optional<DashboardSession> sessionWriter(ServerRequest req, ServerResponse res) {
        if (!sameOrigin(req)) {
            json(res, Status.FORBIDDEN_403, LiveJson.message("error", CrossSiteRequests.REFUSED));
            return Optional.empty();
        }
        Optional<DashboardSession> session = session(req, true);
        if (session.isEmpty()) {
            unauthorized(res);
            return Optional.empty();
        }
        if (!session.get().csrfMatches(req.headers().first(CSRF_HEADER).orElse(null))) {
            json(res, Status.FORBIDDEN_403, LiveJson.message("error", "missing or stale CSRF token: reload the page"));
            return Optional.empty();
        }
        return session;
    }

    /**
     * The request's user as of now, without answering and without counting as activity: a long event
     * stream asks before each event, so it ends when the session does or the token is revoked.
     */
    Optional<DashboardUser> currentUser(ServerRequest req) {
        return bearer(req).map(tokens::authenticate).orElseGet(() -> session(req, false).map(DashboardSession::user));
    }

    /** The session of the request's cookie, if it is live. */
    Optional<DashboardSession> session(ServerRequest req, boolean activity) {
        String id = SessionCookie.read(req).orElse("");
        return activity ? login.resume(id) : login.peek(id);
    }

    private static Optional<String> bearer(ServerRequest req) {
        return BearerToken.parse(req.headers().first(HeaderNames.AUTHORIZATION));
    }

    /** A request without {@code Origin} (curl, old browsers) passes; see {@link CrossSiteRequests}. */
    static boolean sameOrigin(ServerRequest req) {
        return !CrossSiteRequests.fromAnotherSite(req);
    }

    // ---- answers and request parts every dashboard service uses ----

    /**
     * The url-encoded form of a POST, or empty after answering 413: forms here are a few dozen bytes, so
     * no more than a little is read (nor an unbounded chunked body).
     */
    static Optional<Map<String, String>> readForm(ServerRequest req, ServerResponse res) {
        if (!req.content().hasEntity()) {
            return Optional.of(Map.of());
        }
        if (req.headers().contentLength().orElse(Long.MAX_VALUE) > MAX_FORM_BYTES) {
            json(res, Status.REQUEST_ENTITY_TOO_LARGE_413, LiveJson.message("error", "form too large"));
            return Optional.empty();
        }
        return Optional.of(QueryString.parse(req.content().as(String.class), StandardCharsets.UTF_8));
    }

    static String param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().orElse("");
    }

    static void redirect(ServerResponse res, String location) {
        SecurityHeaders.apply(res, true).status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, location).send();
    }

    static void unauthorized(ServerResponse res) {
        json(res, Status.UNAUTHORIZED_401, LiveJson.message("error", "log in first"));
    }

    static void forbidden(ServerResponse res) {
        json(res, Status.FORBIDDEN_403, LiveJson.message("error", "not allowed for your account"));
    }

    static void ok(ServerResponse res, String message) {
        json(res, Status.OK_200, LiveJson.message("message", message));
    }

    static void error(ServerResponse res, Status status, String message) {
        json(res, status, LiveJson.message("error", message));
    }

    static void json(ServerResponse res, Status status, String body) {
        SecurityHeaders.apply(res, true).status(status).header(HeaderNames.CONTENT_TYPE, JSON).send(body);
    }
}
