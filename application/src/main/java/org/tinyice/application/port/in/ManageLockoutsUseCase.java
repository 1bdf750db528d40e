package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Addresses locked out after too many failed logins: admins see them and may lift them. */
public interface ManageLockoutsUseCase {

    /** The addresses locked out now; empty when {@code actor} is not an admin. */
    Optional<List<Lockout>> lockouts(DashboardUser actor);

    LiftResult lift(DashboardUser actor, String address);

    record Lockout(String address, int failures, Instant until) { }

    sealed interface LiftResult {
        record Lifted() implements LiftResult { }

        record NotLockedOut() implements LiftResult { }

        record Forbidden() implements LiftResult { }
    }
}
