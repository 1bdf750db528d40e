package org.tinyice.application.access;

import java.util.Set;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.Principal;

/**
 * TinyIce's rules of who may do what:
 * <ul>
 *   <li>the admin, by its Basic credentials, a session or a token of an admin account: everything, on
 *       every mount;</li>
 *   <li>a dj's session: everything about its own mounts and its own tokens, nothing about accounts or
 *       lockouts;</li>
 *   <li>a dj's API token ({@link DashboardUser.Reach#TITLES}): the titles of its own mounts;</li>
 *   <li>a mount's source credentials: that mount's title, as in Icecast;</li>
 *   <li>the relay account: the list of mounts to relay, and nothing else;</li>
 *   <li>any API token: not accounts and tokens ({@link #allowsByApiToken}).</li>
 * </ul>
 */
public final class Permissions implements AccessPolicy {

    /** How far a principal may do an action. */
    private enum Scope {
        NONE,
        /** On its own mounts (its own tokens, for tokens). */
        OWN,
        ALL
    }

    // the stream list is for edges (the relay account) and the admin who sets them up, not djs
    private static final Set<Action> ADMINS_ONLY = Set.of(Action.READ_USERS, Action.MANAGE_USERS,
            Action.MANAGE_LOCKOUTS, Action.MANAGE_BANS, Action.LIST_STREAMS);
    private static final Set<Action> NOT_BY_TOKEN = Set.of(Action.MANAGE_USERS, Action.MANAGE_TOKENS);

    @Override
    public boolean allows(Principal who, Action action, String mountPath) {
        return switch (scope(who, action)) {
            case ALL -> true;
            case OWN -> owns(who, mountPath);
            case NONE -> false;
        };
    }

    @Override
    public boolean allows(Principal who, Action action) {
        return scope(who, action) == Scope.ALL;
    }

    @Override
    public boolean grants(Principal who, Action action) {
        return scope(who, action) != Scope.NONE;
    }

    @Override
    public boolean allowsByApiToken(Action action) {
        return !NOT_BY_TOKEN.contains(action);
    }

    private static Scope scope(Principal who, Action action) {
        return switch (who) {
            case Principal.Admin admin -> Scope.ALL;
            case Principal.Source source -> action == Action.SET_TITLE ? Scope.OWN : Scope.NONE;
            case Principal.Relay relay -> action == Action.LIST_STREAMS ? Scope.ALL : Scope.NONE;
            case DashboardUser user when user.reach() == DashboardUser.Reach.TITLES && action != Action.SET_TITLE ->
                    Scope.NONE;
            case DashboardUser user when user.isAdmin() -> Scope.ALL;
            case DashboardUser dj -> ADMINS_ONLY.contains(action) ? Scope.NONE : Scope.OWN;
        };
    }

    private static boolean owns(Principal who, String mountPath) {
        return switch (who) {
            case Principal.Admin admin -> true;
            case Principal.Source source -> source.mountPath().equals(mountPath);
            case Principal.Relay relay -> false;
            case DashboardUser user -> user.mounts().contains(mountPath);
        };
    }
}
