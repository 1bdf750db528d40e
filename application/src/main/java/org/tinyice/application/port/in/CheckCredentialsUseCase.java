package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.Optional;

/**
 * Whose credentials these are: the admin's, or a mount's source credentials. Every check is counted
 * against the client's address and the account it tried (see {@code LoginThrottle}), wherever it
 * came in: a source login, an Icecast admin command, the API, the dashboard.
 */
public interface CheckCredentialsUseCase {

    Verdict checkAdmin(Optional<Credentials> credentials, String remoteAddress);

    Verdict checkSource(String mountPath, Optional<Credentials> credentials, String remoteAddress);

    /** The relay account's ({@code relay_user}); always rejected while it has no password. */
    Verdict checkRelay(Optional<Credentials> credentials, String remoteAddress);

    sealed interface Verdict {

        default boolean accepted() {
            return this instanceof Accepted;
        }

        record Accepted() implements Verdict { }

        /** Wrong or missing credentials (which part was wrong is not said). */
        record Rejected() implements Verdict { }

        /**
         * Too many failures from this address or against this account: nothing is checked until
         * {@code until}, so the right password is refused the same way as a wrong one.
         */
        record LockedOut(Instant until) implements Verdict {
            public String describe() {
                return "too many failed logins from your address or for this account: locked out until " + until
                        + "; an admin can lift this on the dashboard";
            }
        }

        /** Every password-hashing slot stayed taken while the request waited: try again shortly. */
        record Busy() implements Verdict { }
    }
}
