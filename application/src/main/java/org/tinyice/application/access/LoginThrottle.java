package org.tinyice.application.access;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.port.in.ManageLockoutsUseCase.Lockout;

/**
 * Counts failed password checks from every entry point (source logins, Icecast admin commands, the
 * API's Basic auth, dashboard logins), per address and per account:
 * {@link DashboardSettings#maxFailedLogins()} failures from one address within
 * {@link DashboardSettings#lockout()} lock the address out for {@link DashboardSettings#lockout()}.
 * An account is locked out after {@value #ACCOUNT_FACTOR} times as many failures from any addresses:
 * higher, because anyone can make an account fail and a locked account keeps its rightful owner out
 * too, but still a bound on guessing from many addresses. A success clears the address's and the
 * account's counts; an admin may lift a lockout.
 */
public final class LoginThrottle {

    /** Addresses (and accounts) remembered at most; beyond that, those with the oldest news go first. */
    static final int MAX_ADDRESSES = 100_000;
    static final int ACCOUNT_FACTOR = 4;

    private record Failures(int count, Instant first, Instant lockedUntil) { }

    private final Clock clock;
    private final Supplier<DashboardSettings> settings;
    private final Map<String, Failures> byAddress = new HashMap<>();
    private final Map<String, Failures> byAccount = new HashMap<>();

    public LoginThrottle(Clock clock, Supplier<DashboardSettings> settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /** When the lockout of the address or of the account ends, if either is locked out now. */
    public synchronized Optional<Instant> lockedUntil(String address, String account) {
        Instant now = clock.instant();
        return later(lockedUntil(byAddress.get(address), now), lockedUntil(byAccount.get(account), now));
    }

    /** Counts a failure; returns the end of the lockout when the address or the account is locked out now. */
    public synchronized Optional<Instant> failed(String address, String account) {
        DashboardSettings now = settings.get();
        Instant at = clock.instant();
        Optional<Instant> addressLock = count(byAddress, address, now.maxFailedLogins(), at);
        Optional<Instant> accountLock = count(byAccount, account, now.maxFailedLogins() * ACCOUNT_FACTOR, at);
        return later(addressLock, accountLock);
    }

    public synchronized void succeeded(String address, String account) {
        byAddress.remove(address);
        byAccount.remove(account);
    }

    /** The addresses and accounts locked out now, the longest-locked first. */
    public synchronized List<Lockout> lockouts() {
        Instant now = clock.instant();
        List<Lockout> locked = new ArrayList<>();
        for (Map<String, Failures> counts : List.of(byAddress, byAccount)) {
            counts.forEach((who, f) -> {
                if (lockedUntil(f, now).isPresent()) {
                    locked.add(new Lockout(who, f.count(), f.lockedUntil()));
                }
            });
        }
        locked.sort(Comparator.comparing(Lockout::until).thenComparing(Lockout::address));
        return locked;
    }

    /** Lifts the lockout of an address or account and forgets its failures; false when none was locked out. */
    public synchronized boolean lift(String who) {
        Instant now = clock.instant();
        boolean lifted = false;
        for (Map<String, Failures> counts : List.of(byAddress, byAccount)) {
            if (lockedUntil(counts.get(who), now).isPresent()) {
                counts.remove(who);
                lifted = true;
            }
        }
        return lifted;
    }

    private Optional<Instant> count(Map<String, Failures> counts, String who, int limit, Instant at) {
        Failures before = counts.get(who);
        if (before != null && isOver(before, at)) {
            before = null; // an old run of failures, or a lockout that is over: start counting afresh
        }
        int count = before == null ? 1 : before.count() + 1;
        Instant first = before == null ? at : before.first();
        Instant lockedUntil = before != null && before.lockedUntil() != null ? before.lockedUntil()
                : count >= limit ? at.plus(settings.get().lockout()) : null;
        if (before == null && counts.size() >= MAX_ADDRESSES) {
            forgetStale(counts, at);
        }
        counts.put(who, new Failures(count, first, lockedUntil));
        return Optional.ofNullable(lockedUntil);
    }

    private boolean isOver(Failures f, Instant now) {
        return f.lockedUntil() != null ? !now.isBefore(f.lockedUntil())
                : !now.isBefore(f.first().plus(settings.get().lockout()));
    }

    private static Optional<Instant> lockedUntil(Failures f, Instant now) {
        return f == null || f.lockedUntil() == null || !now.isBefore(f.lockedUntil())
                ? Optional.empty() : Optional.of(f.lockedUntil());
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
    }

    private void forgetStale(Map<String, Failures> counts, Instant now) {
        counts.values().removeIf(f -> isOver(f, now));
        if (counts.size() >= MAX_ADDRESSES) {
            // a flood from many addresses: forget the unlocked ones rather than grow without bound
            counts.values().removeIf(f -> f.lockedUntil() == null);
        }
    }
}
