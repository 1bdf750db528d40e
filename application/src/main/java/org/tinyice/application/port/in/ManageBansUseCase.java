package org.tinyice.application.port.in;

import java.util.List;
import java.util.Optional;

/**
 * The server's banned addresses ({@code banned_ips}): admins see them, ban an address or range, ban a
 * listener from its row (its address; it is disconnected), and lift a ban. Each change is saved to the
 * file and in force at once.
 */
public interface ManageBansUseCase {

    /** The banned addresses and ranges, as the file writes them; empty when {@code actor} is not an admin. */
    Optional<List<String>> banned(Principal actor);

    /** Bans an address or a range ({@code 203.0.113.7}, {@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    BanResult ban(Principal actor, String address);

    /** Bans the address of listener {@code listenerId} of {@code mount}, and disconnects it. */
    BanResult banListener(Principal actor, String mount, long listenerId);

    /** Lifts the ban of exactly this entry (as {@link #banned} lists it). */
    BanResult unban(Principal actor, String address);

    sealed interface BanResult {
        /** @param address the entry banned or lifted, as the file writes it */
        record Done(String address) implements BanResult { }

        record Invalid(String reason) implements BanResult { }

        record NotFound() implements BanResult { }

        record Forbidden() implements BanResult { }
    }
}
