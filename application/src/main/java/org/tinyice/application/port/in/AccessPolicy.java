package org.tinyice.application.port.in;

/**
 * Who may do what, asked by every entry point (Icecast's admin commands, the JSON API, the dashboard) and
 * by the use cases behind them, so each rule is written once. Checking who a request is (passwords,
 * sessions, tokens) comes first and is not this port's business.
 */
public interface AccessPolicy {

    /** Whether {@code who} may do {@code action} on the mount {@code mountPath}. */
    boolean allows(Principal who, Action action, String mountPath);

    /**
     * Whether {@code who} may do {@code action} on the whole server: on every mount, or, for what
     * concerns no mount (accounts, lockouts), at all; for tokens, on every user's.
     */
    boolean allows(Principal who, Action action);

    /**
     * Whether {@code who} may do {@code action} at all, on every mount or on some of its own; which ones,
     * {@link #allows(Principal, Action, String)} says. Lets a route refuse what the principal may never do
     * before looking at the request further.
     */
    boolean grants(Principal who, Action action);

    /**
     * Whether a request may do {@code action} with an API token, whoever's it is. Accounts and tokens are
     * changed by a person at the dashboard only: a leaked token must not mint tokens or accounts that
     * outlive its revocation.
     */
    boolean allowsByApiToken(Action action);

    /** What a principal may ask for. */
    enum Action {
        /** The server's and the mounts' live figures (Icecast's stats and listmounts, the live view). */
        READ_STATUS,
        /** The names of the listed mounts ({@code /admin/streamlist.txt}), which an edge relays. */
        LIST_STREAMS,
        /** Who listens to a mount. */
        LIST_LISTENERS,
        /** A mount's now-playing title. */
        SET_TITLE,
        KICK_LISTENER,
        /** A mount's listeners to another mount: asked for both. */
        MOVE_LISTENERS,
        /** Disconnect a mount's source. */
        KILL_SOURCE,
        /** A mount's settings: see them, change them, enable and disable the mount. */
        EDIT_MOUNT,
        /** A mount's song history and listener figures. */
        READ_HISTORY,
        /** See the dashboard's accounts. */
        READ_USERS,
        /** Add, change and remove accounts. */
        MANAGE_USERS,
        /** See the lockouts of every entry point, and lift them. */
        MANAGE_LOCKOUTS,
        /** See and change the server's banned addresses (ban a listener's address from its row). */
        MANAGE_BANS,
        /** See API tokens: one's own, or everyone's. */
        READ_TOKENS,
        /** Make and revoke API tokens: one's own, or (revoking) everyone's. */
        MANAGE_TOKENS
    }
}
