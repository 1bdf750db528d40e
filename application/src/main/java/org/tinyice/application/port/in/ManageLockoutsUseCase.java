package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Addresses and accounts locked out after too many failed password checks, from any entry point
 * (dashboard, Icecast admin commands, API, sources): admins see them and may lift them.
 */
public interface ManageLockoutsUseCase {

    /** The addresses and accounts locked out now; empty when {@code actor} is not an admin. */
    Optional<List<Lockout>> lockouts(DashboardUser actor);

    LiftResult lift(DashboardUser actor, String address);

    /**
     * @param address a client address, or an account: {@code user <name>} for the admin and dashboard
     *                users, {@code source} for the global source password, {@code source <mount>} for a
     *                mount's own
     */
    record Lockout(String address, int failures, Instant until) { }

    sealed interface LiftResult {
        record Lifted() implements LiftResult { }

        record NotLockedOut() implements LiftResult { }

        record Forbidden() implements LiftResult { }
    }
}
