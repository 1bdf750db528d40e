package org.tinyice.application.port.in;

/**
 * Who a request acts as, once its credentials, session or token have been checked: what it may do is
 * {@link AccessPolicy}'s answer.
 */
public sealed interface Principal permits Principal.Admin, Principal.Source, Principal.Relay, DashboardUser {

    /** The admin's own credentials ({@code admin_user}) over HTTP Basic auth: Icecast's admin commands, the API. */
    record Admin() implements Principal { }

    /**
     * A client that gave a mount's source credentials: Icecast lets it set that mount's title, which is
     * how libshout and station automation send titles.
     */
    record Source(String mountPath) implements Principal { }

    /**
     * The relay account ({@code relay_user}, {@code relay_password}): an edge that asks which mounts to
     * relay, as Icecast's slaves do with {@code /admin/streamlist.txt}.
     */
    record Relay() implements Principal { }
}
