package org.tinyice.application.port.in;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/** Dashboard login, logout, and the session a request's cookie names. */
public interface LogInUseCase {

    LogInResult logIn(LogInCommand command);

    /** Ends the session (nothing happens for an unknown id). */
    void logOut(String sessionId);

    /**
     * The live session with this id, its idle time restarted (a request its user made); empty when it
     * is unknown, expired, or its user no longer exists.
     */
    Optional<DashboardSession> resume(String sessionId);

    /** As {@link #resume} but without counting as activity: background traffic (the live view's stream). */
    Optional<DashboardSession> peek(String sessionId);

    /**
     * @param remoteAddress     the client's address; failed logins are counted per address and per user
     * @param previousSessionId the session the client had before, ended on success (a login always
     *                          gets a new id, so a planted id never becomes a logged-in one)
     */
    record LogInCommand(String user, String password, String remoteAddress, Optional<String> previousSessionId) {
        public LogInCommand {
            user = user == null ? "" : user;
            password = password == null ? "" : password;
            remoteAddress = remoteAddress == null ? "" : remoteAddress;
        }

        @Override
        public String toString() {
            return "LogInCommand[" + user + ":***@" + remoteAddress + "]";
        }
    }

    sealed interface LogInResult {
        record LoggedIn(DashboardSession session) implements LogInResult { }

        /** Wrong user or password (which of the two is not said). */
        record Rejected() implements LogInResult { }

        /** Too many failures from this address or for this user; no password is checked until {@code until}. */
        record LockedOut(Instant until) implements LogInResult { }

        /** Too many password checks under way to wait for one more: try again shortly. */
        record Busy() implements LogInResult { }
    }

    /**
     * A logged-in session.
     *
     * @param id        the session id (the cookie's value): 256 random bits
     * @param csrfToken sent back by the page with every state-changing request
     * @param expiresAt when it ends if unused (the idle limit, capped by the absolute limit)
     */
    record DashboardSession(String id, DashboardUser user, String csrfToken, Instant expiresAt) {

        /** Constant-time comparison with the token a request carried. */
        public boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "DashboardSession[" + user.name() + "]";
        }
    }
}
