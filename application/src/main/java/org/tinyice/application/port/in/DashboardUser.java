package org.tinyice.application.port.in;

import java.util.Set;
import org.tinyice.application.config.UserAccount.Role;

/**
 * Who is logged in to the dashboard, as the configuration says now (a changed role or mount list
 * applies at the next request).
 *
 * @param mounts the mounts a {@link Role#DJ} may see and control; ignored for admins
 */
public record DashboardUser(String name, Role role, Set<String> mounts) {

    public DashboardUser {
        mounts = Set.copyOf(mounts);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this user may see and act on {@code mountPath}: admins every mount, a dj its own. */
    public boolean mayControl(String mountPath) {
        return isAdmin() || mounts.contains(mountPath);
    }
}
