package org.tinyice.application.dashboard;

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
 * Counts failed logins per address: {@link DashboardSettings#maxFailedLogins()} failures within
 * {@link DashboardSettings#lockout()} lock the address out for {@link DashboardSettings#lockout()}.
 * A successful login clears the address's count; an admin may lift a lockout.
 */
public final class LoginThrottle {

    /** Addresses remembered at most; beyond that, those with the oldest news are forgotten first. */
    static final int MAX_ADDRESSES = 100_000;

    private record Failures(int count, Instant first, Instant lockedUntil) { }

    private final Clock clock;
    private final Supplier<DashboardSettings> settings;
    private final Map<String, Failures> byAddress = new HashMap<>();

    public LoginThrottle(Clock clock, Supplier<DashboardSettings> settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /** When the address's lockout ends, if it is locked out now. */
    public synchronized Optional<Instant> lockedUntil(String address) {
        Failures failures = byAddress.get(address);
        Instant now = clock.instant();
        if (failures == null || failures.lockedUntil() == null || !now.isBefore(failures.lockedUntil())) {
            return Optional.empty();
        }
        return Optional.of(failures.lockedUntil());
    }

    /** Counts a failure; returns the end of the lockout when this failure started one. */
    public synchronized Optional<Instant> failed(String address) {
        DashboardSettings now = settings.get();
        Instant at = clock.instant();
        Failures before = byAddress.get(address);
        if (before != null && (before.lockedUntil() != null ? !at.isBefore(before.lockedUntil())
                : !at.isBefore(before.first().plus(now.lockout())))) {
            before = null; // an old run of failures, or a lockout that is over: start counting afresh
        }
        int count = before == null ? 1 : before.count() + 1;
        Instant first = before == null ? at : before.first();
        Instant lockedUntil = count >= now.maxFailedLogins() ? at.plus(now.lockout()) : null;
        if (before == null && byAddress.size() >= MAX_ADDRESSES) {
            forgetStale(at);
        }
        byAddress.put(address, new Failures(count, first, lockedUntil));
        return Optional.ofNullable(lockedUntil);
    }

    public synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** The addresses locked out now, the longest-locked first. */
    public synchronized List<Lockout> lockouts() {
        Instant now = clock.instant();
        List<Lockout> locked = new ArrayList<>();
        byAddress.forEach((address, f) -> {
            if (f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
                locked.add(new Lockout(address, f.count(), f.lockedUntil()));
            }
        });
        locked.sort(Comparator.comparing(Lockout::until).thenComparing(Lockout::address));
        return locked;
    }

    /** Lifts the address's lockout and forgets its failures; false when it was not locked out. */
    public synchronized boolean lift(String address) {
        boolean locked = lockedUntil(address).isPresent();
        if (locked) {
            byAddress.remove(address);
        }
        return locked;
    }

    private void forgetStale(Instant now) {
        DashboardSettings s = settings.get();
        byAddress.values().removeIf(f -> f.lockedUntil() != null ? !now.isBefore(f.lockedUntil())
                : !now.isBefore(f.first().plus(s.lockout())));
        if (byAddress.size() >= MAX_ADDRESSES) {
            // a flood from many addresses: forget the unlocked ones rather than grow without bound
            byAddress.values().removeIf(f -> f.lockedUntil() == null);
        }
    }
}
