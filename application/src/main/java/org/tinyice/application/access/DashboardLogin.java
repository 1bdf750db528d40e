package org.tinyice.application.access;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.CheckCredentialsUseCase.Verdict;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LogInUseCase;
import org.tinyice.application.port.in.ManageLockoutsUseCase;

/**
 * Dashboard logins and sessions. The password check, its cost and its throttle are the
 * {@link CredentialChecker}'s, shared with every other entry point: failures here and on the Icecast
 * admin commands or the API add up, and the lockouts listed here are those of every entry point.
 */
public final class DashboardLogin implements LogInUseCase, ManageLockoutsUseCase {

    private final CredentialChecker credentials;
    private final Supplier<ServerConfig> config;
    private final DashboardSessions sessions;
    private final LoginThrottle throttle;
    private final AccessPolicy policy;

    public DashboardLogin(CredentialChecker credentials, Supplier<ServerConfig> config, DashboardSessions sessions,
                          LoginThrottle throttle, AccessPolicy policy) {
        this.credentials = credentials;
        this.config = config;
        this.sessions = sessions;
        this.throttle = throttle;
        this.policy = policy;
    }

    @Override
    public LogInResult logIn(LogInCommand command) {
        Optional<Accounts.Account> account = Accounts.find(config.get(), command.user());
        Verdict verdict = credentials.checkAccount(new Credentials(command.user(), command.password()),
                account.flatMap(Accounts.Account::password), command.remoteAddress());
        return switch (verdict) {
            case Verdict.LockedOut l -> new LogInResult.LockedOut(l.until());
            case Verdict.Busy b -> new LogInResult.Busy();
            case Verdict.Rejected r -> new LogInResult.Rejected();
            // only an account's own password is accepted, so there is an account
            case Verdict.Accepted a -> open(account.orElseThrow().user(), command.previousSessionId());
        };
    }

    private LogInResult open(DashboardUser user, Optional<String> previousSessionId) {
        previousSessionId.ifPresent(sessions::end);
        DashboardSessions.Session session = sessions.open(user.name());
        return new LogInResult.LoggedIn(view(session, user));
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
        return policy.allows(actor, Action.MANAGE_LOCKOUTS) ? Optional.of(throttle.lockouts()) : Optional.empty();
    }

    @Override
    public LiftResult lift(DashboardUser actor, String address) {
        if (!policy.allows(actor, Action.MANAGE_LOCKOUTS)) {
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
}
