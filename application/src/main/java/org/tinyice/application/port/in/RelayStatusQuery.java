package org.tinyice.application.port.in;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What each relay is doing, for the operator (dashboard, {@code /api/relays}): the relays keep it
 * current as they go, so a query reads it and never waits on a relay's socket.
 */
public interface RelayStatusQuery {

    /** The relays of the mounts {@code viewer} may see the status of, in configuration order. */
    List<RelayStatus> relays(Principal viewer);

    enum RelayState {
        /** Audio flows from the upstream. */
        CONNECTED,
        /** Opening the upstream: connecting, sending the request, reading its answer. */
        CONNECTING,
        /** The last attempt failed or the upstream went away; the next is at {@link RelayStatus#nextAttempt}. */
        WAITING,
        /** An on-demand relay with no listener: it connects when one comes. */
        IDLE,
        /** The relay's thread ended (the server stops, or an unexpected error: see the log). */
        STOPPED
    }

    /**
     * @param upstream      the upstream's URL; it never holds credentials (a relay's URL may not, they are
     *                      separate keys and are not shown)
     * @param fromMaster    the relay is one of a master's mounts, not an entry of {@code relays}
     * @param since         when the relay entered {@code state}
     * @param nextAttempt   when a {@link RelayState#WAITING} relay tries again
     * @param bytesReceived bytes read from upstreams since the relay started, ICY metadata blocks included
     * @param title         the last title the upstream sent
     * @param lastError     the latest problem, kept after the relay recovers, so that a flapping upstream shows
     */
    record RelayStatus(URI upstream, String mount, boolean onDemand, boolean fromMaster, RelayState state,
                       Instant since, Optional<Instant> nextAttempt, long bytesReceived, Optional<String> title,
                       Optional<RelayProblem> lastError) { }

    /** What went wrong, as the log says it, and when. */
    record RelayProblem(String what, Instant at) { }
}
