package org.tinyice.application.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.ManageLockoutsUseCase;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Dashboard logins and sessions. A login costs one Argon2id check whatever the user name: an unknown
 * user's password is checked against a dummy hash, so the time taken does not tell which names exist.
 * Hash comparisons are constant-time ({@link PasswordHasher#verify}). At most
 * {@value #CONCURRENT_CHECKS} checks run at once, so a flood of logins cannot take every core.
 */
public final class DashboardLogin implements LogInUseCase, ManageLockoutsUseCase {

    static final int CONCURRENT_CHECKS = 2;

    private final PasswordHasher hasher;
    private final Supplier<ServerConfig> config;
    private final DashboardSessions sessions;
    private final LoginThrottle throttle;
    private final Semaphore checking = new Semaphore(CONCURRENT_CHECKS);
    private volatile String dummyHash;

    public DashboardLogin(PasswordHasher hasher, Supplier<ServerConfig> config, DashboardSessions sessions,
                          LoginThrottle throttle) {
        this.hasher = hasher;
        this.config = config;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    @Override
    public LogInResult logIn(LogInCommand command) {
        Optional<Instant> locked = throttle.lockedUntil(command.remoteAddress());
        if (locked.isPresent()) {
            return new LogInResult.LockedOut(locked.get());
        }
        Optional<Accounts.Account> account = Accounts.find(config.get(), command.user());
        boolean ok = passwordMatches(command.password(), account.flatMap(Accounts.Account::password));
        if (!ok || account.isEmpty()) {
            Optional<Instant> lockout = throttle.failed(command.remoteAddress());
            return lockout.<LogInResult>map(LogInResult.LockedOut::new).orElseGet(LogInResult.Rejected::new);
        }
        throttle.succeeded(command.remoteAddress());
        command.previousSessionId().ifPresent(sessions::end);
        DashboardSessions.Session session = sessions.open(command.user());
        return new LogInResult.LoggedIn(view(session, account.get().user()));
    }

    @Override
    public void logOut(String sessionId) {
        sessions.end(sessionId);
    }

    @Override
    public Optional<DashboardSession> resume(String sessionId) {
        return lookup(sessionId, true);
    }

    @Override
    public Optional<DashboardSession> peek(String sessionId) {
        return lookup(sessionId, false);
    }

    @Override
    public Optional<List<Lockout>> lockouts(DashboardUser actor) {
        return actor.isAdmin() ? Optional.of(throttle.lockouts()) : Optional.empty();
    }

    @Override
    public LiftResult lift(DashboardUser actor, String address) {
        if (!actor.isAdmin()) {
            return new LiftResult.Forbidden();
        }
        return throttle.lift(address) ? new LiftResult.Lifted() : new LiftResult.NotLockedOut();
    }

    private Optional<DashboardSession> lookup(String sessionId, boolean touch) {
        Optional<DashboardSessions.Session> session = sessions.find(sessionId, touch);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        // the account as configured now: a removed user's sessions end, a changed role applies at once
        Optional<Accounts.Account> account = Accounts.find(config.get(), session.get().user());
        if (account.isEmpty()) {
            sessions.endAllOf(session.get().user());
            return Optional.empty();
        }
        return Optional.of(view(session.get(), account.get().user()));
    }

    private DashboardSession view(DashboardSessions.Session session, DashboardUser user) {
        return new DashboardSession(session.id(), user, session.csrfToken(), sessions.expiresAt(session));
    }

    private boolean passwordMatches(String password, Optional<Secret> secret) {
        checking.acquireUninterruptibly();
        try {
            if (secret.orElse(null) instanceof Secret.Hashed hashed) {
                return hasher.verify(password, hashed.encoded());
            }
            // no account (or a plaintext password not hashed yet): pay for a check all the same
            hasher.verify(password, dummyHash());
            return secret.orElse(null) instanceof Secret.Plain plain
                    && MessageDigest.isEqual(plain.password().getBytes(StandardCharsets.UTF_8),
                    password.getBytes(StandardCharsets.UTF_8));
        } finally {
            checking.release();
        }
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = hasher.hash(new Tokens().next());
            dummyHash = hash;
        }
        return hash;
    }
}
