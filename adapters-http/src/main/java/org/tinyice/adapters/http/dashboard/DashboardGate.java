package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.tinyice.adapters.http.BearerToken;
import org.tinyice.adapters.http.CrossSiteRequests;
import org.tinyice.adapters.http.QueryString;
import org.tinyice.adapters.http.api.JsonResponses;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.LogInUseCase.DashboardSession;
import org.tinyice.application.port.in.ManageApiTokensUseCase;

/**
 * Who is asking, for every dashboard request, and the answers they share. A request is a user's when it
 * carries a live session cookie or an API token ({@code Authorization: Bearer ...}). A state-changing
 * request from a session must also carry the session's CSRF token in {@code X-CSRF-Token} and must not
 * come from another site; one with a token needs neither, since a browser never adds a bearer token
 * to a request by itself. Each state-changing request names its action, so a token is refused what the
 * {@link AccessPolicy} keeps from tokens (changing accounts and tokens); what the user may do on which
 * mount, the use cases ask the policy.
 */
final class DashboardGate {

    static final HeaderName CSRF_HEADER = HeaderNames.create("X-CSRF-Token");
    private static final long MAX_FORM_BYTES = 8 * 1024;

    /** What a state-changing request with a form does, for its user; {@code sessionId} is empty for a token's. */
    @FunctionalInterface
    interface FormAction {
        void accept(DashboardUser user, Optional<String> sessionId, Map<String, String> form);
    }

    private record Writer(DashboardUser user, Optional<String> sessionId) { }

    private final LogInUseCase login;
    private final ManageApiTokensUseCase tokens;
    private final AccessPolicy policy;

    DashboardGate(LogInUseCase login, ManageApiTokensUseCase tokens, AccessPolicy policy) {
        this.login = login;
        this.tokens = tokens;
        this.policy = policy;
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
     * The user of a state-changing request for {@code action}, or empty after answering: 401 without a
     * live session or with an unknown token, 403 for another site's request, a missing or wrong CSRF
     * token, or a token the policy keeps from the action.
     */
    Optional<DashboardUser> writer(ServerRequest req, ServerResponse res, Action action) {
        return writerOf(req, res, action).map(Writer::user);
    }

    /** {@link #writer}, then the request's form, then {@code then}; or the answer that stopped it. */
    void withForm(ServerRequest req, ServerResponse res, Action action, FormAction then) {
        Optional<Writer> writer = writerOf(req, res, action);
        if (writer.isPresent()) {
            readForm(req, res).ifPresent(form -> then.accept(writer.get().user(), writer.get().sessionId(), form));
        }
    }

    private Optional<Writer> writerOf(ServerRequest req, ServerResponse res, Action action) {
        Optional<String> bearer = bearer(req);
        if (bearer.isEmpty()) {
            return sessionWriter(req, res).map(session -> new Writer(session.user(), Optional.of(session.id())));
        }
        if (!policy.allowsByApiToken(action)) {
            // before the token is looked at: no token, however good, would do
            error(res, Status.FORBIDDEN_403, "accounts and API tokens are managed from a dashboard session, not"
                    + " with an API token");
            return Optional.empty();
        }
        Optional<DashboardUser> user = tokens.authenticate(bearer.get());
        if (user.isEmpty()) {
            unauthorized(res);
        }
        return user.map(u -> new Writer(u, Optional.empty()));
    }

    /** {@link #writer} for what only a browser session does (logging out). */
    Optional<DashboardSession> sessionWriter(ServerRequest req, ServerResponse res) {
        if (!sameOrigin(req)) {
            error(res, Status.FORBIDDEN_403, CrossSiteRequests.REFUSED);
            return Optional.empty();
        }
        Optional<DashboardSession> session = session(req, true);
        if (session.isEmpty()) {
            unauthorized(res);
            return Optional.empty();
        }
        if (!session.get().csrfMatches(req.headers().first(CSRF_HEADER).orElse(null))) {
            error(res, Status.FORBIDDEN_403, "missing or stale CSRF token: reload the page");
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
            error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "form too large");
            return Optional.empty();
        }
        return Optional.of(QueryString.parse(req.content().as(String.class), StandardCharsets.UTF_8));
    }

    static String param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().orElse("");
    }

    /** The {@code id} parameter as a listener id; empty (400 sent) when it is not a number. */
    static OptionalLong listenerId(ServerRequest req, ServerResponse res) {
        try {
            return OptionalLong.of(Long.parseLong(param(req, "id")));
        } catch (NumberFormatException e) {
            error(res, Status.BAD_REQUEST_400, "id must be a listener id");
            return OptionalLong.empty();
        }
    }

    static void redirect(ServerResponse res, String location) {
        SecurityHeaders.apply(res, true).status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, location).send();
    }

    static void unauthorized(ServerResponse res) {
        error(res, Status.UNAUTHORIZED_401, "log in first");
    }

    static void forbidden(ServerResponse res) {
        error(res, Status.FORBIDDEN_403, "not allowed for your account");
    }

    // the API's answers, with the headers every dashboard answer carries

    static void ok(ServerResponse res, String message) {
        JsonResponses.ok(SecurityHeaders.apply(res, true), message);
    }

    static void error(ServerResponse res, Status status, String message) {
        JsonResponses.error(SecurityHeaders.apply(res, true), status, message);
    }

    static void json(ServerResponse res, Status status, String body) {
        JsonResponses.send(SecurityHeaders.apply(res, true), status, body);
    }
}
