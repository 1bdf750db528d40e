package org.tinyice.application.access;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.tinyice.application.config.DashboardSettings;

/**
 * Logged-in sessions, in memory (a restart logs everyone out). A session ends after
 * {@link DashboardSettings#sessionIdle()} without a request from its user and, however busy,
 * {@link DashboardSettings#sessionMax()} after login.
 */
public final class DashboardSessions {

    /** One session; {@code lastUsed} moves on with each request its user makes. */
    public record Session(String id, String user, String csrfToken, Instant created, Instant lastUsed) { }

    private final Clock clock;
    private final Supplier<DashboardSettings> settings;
    private final Tokens tokens = new Tokens();
    private final Map<String, Session> byDigest = new ConcurrentHashMap<>();

    public DashboardSessions(Clock clock, Supplier<DashboardSettings> settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /** A new session for {@code user}, with a new id and a new CSRF token. */
    public Session open(String user) {
        removeExpired();
        Instant now = clock.instant();
        Session session = new Session(tokens.next(), user, tokens.next(), now, now);
        byDigest.put(Tokens.digest(session.id()), session);
        return session;
    }

    /** The live session with this id; {@code touch} restarts its idle time. Expired sessions are removed. */
    public Optional<Session> find(String id, boolean touch) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        String key = Tokens.digest(id);
        Instant now = clock.instant();
        Session found = byDigest.computeIfPresent(key, (k, session) -> {
            if (expired(session, now)) {
                return null;
            }
            return touch ? new Session(session.id(), session.user(), session.csrfToken(), session.created(), now)
                    : session;
        });
        return Optional.ofNullable(found);
    }

    /** When this session ends if its user makes no further request. */
    public Instant expiresAt(Session session) {
        DashboardSettings now = settings.get();
        Instant idle = session.lastUsed().plus(now.sessionIdle());
        Instant absolute = session.created().plus(now.sessionMax());
        return idle.isBefore(absolute) ? idle : absolute;
    }

    public void end(String id) {
        if (id != null && !id.isEmpty()) {
            byDigest.remove(Tokens.digest(id));
        }
    }

    /** Ends every session of {@code user}; returns how many there were. */
    public int endAllOf(String user) {
        return endAllOf(user, Optional.empty());
    }

    /** Ends every session of {@code user} but the one with id {@code keep}; returns how many it ended. */
    public int endAllOf(String user, Optional<String> keep) {
        int[] ended = {0};
        byDigest.values().removeIf(session -> {
            boolean match = session.user().equals(user) && !keep.filter(session.id()::equals).isPresent();
            if (match) {
                ended[0]++;
            }
            return match;
        });
        return ended[0];
    }

    /** Sessions that have not expired. */
    public int count() {
        Instant now = clock.instant();
        return (int) byDigest.values().stream().filter(s -> !expired(s, now)).count();
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(expiresAt(session));
    }

    private void removeExpired() {
        Instant now = clock.instant();
        byDigest.values().removeIf(session -> expired(session, now));
    }
}
