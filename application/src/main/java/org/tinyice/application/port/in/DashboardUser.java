package org.tinyice.application.port.in;

import java.util.Set;
import org.tinyice.application.config.UserAccount.Role;

/**
 * Who is logged in to the dashboard, as the configuration says now (a changed role or mount list
 * applies at the next request), and how far a request may act for them; what that allows is
 * {@link AccessPolicy}'s answer.
 *
 * @param mounts the mounts assigned to a {@link Role#DJ}; ignored for admins
 * @param reach  {@link Reach#ROLE} for a session or an admin's API token; {@link Reach#TITLES} for a
 *               dj's API token, which is the same on {@code /api} and on the dashboard's routes
 */
public record DashboardUser(String name, Role role, Set<String> mounts, Reach reach) implements Principal {

    /** What a request may do on the user's behalf. */
    public enum Reach {
        /** Everything the user's role allows. */
        ROLE,
        /**
         * Set the titles of the user's mounts, nothing else: a dj's token sits in a playout script,
         * where a leak must not hand over the mount's settings, its source password included.
         */
        TITLES
    }

    public DashboardUser {
        mounts = Set.copyOf(mounts);
    }

    public DashboardUser(String name, Role role, Set<String> mounts) {
        this(name, role, mounts, Reach.ROLE);
    }

    /** The same user, reached through a token of its: an admin's token reaches as far as the admin. */
    public DashboardUser viaToken() {
        return isAdmin() ? this : new DashboardUser(name, role, mounts, Reach.TITLES);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
