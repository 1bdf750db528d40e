package org.tinyice.application.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.ReportEdgeUseCase;

/**
 * The edges a full server sends listeners to, as Icecast-KH's origin does: those that report on their
 * stream-list polls, and the static ones of {@code "redirect_to"} (read at each choice, so a reload
 * changes them at once).
 *
 * <p>The choice: the reported edge with the most free places, where each listener sent to an edge since
 * its last poll takes one of the places it reported (its next poll says how many are really left). Only
 * when no edge with a known room has a free place, the edges whose room is unknown (static ones, and
 * Icecast-KH edges, which do not say) take turns: they may be full too, but an edge that is full refuses
 * the listener itself (or redirects it on), which costs no more than this server refusing it. An edge
 * that reported no room is not sent listeners, even if {@code "redirect_to"} names it too: its report is
 * newer than the file.
 *
 * <p>An edge that has not polled for {@value #MISSED_POLLS} of its own intervals is forgotten: it is
 * stopped, or cut off from this server, and would send the listener nowhere. Icecast-KH waits only 10 s
 * past the expected poll; three intervals let one slow or failed poll (an origin busy at its limit
 * answers late) pass without losing the edge.
 */
public final class EdgeRedirects implements ReportEdgeUseCase {

    private static final System.Logger LOG = System.getLogger(EdgeRedirects.class.getName());

    static final int MISSED_POLLS = 3;

    private final Supplier<ServerConfig> config;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** By address, in the order they first reported. */
    private final Map<EdgeAddress, Reported> reported = new LinkedHashMap<>(); // guarded by lock
    private int turn; // guarded by lock: the next edge of unknown room

    public EdgeRedirects(Supplier<ServerConfig> config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** An edge as the choice sees it now. */
    public record Edge(EdgeAddress address, OptionalInt freePlaces, boolean reported) { }

    @Override
    public void edgePolled(EdgePoll poll) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Reported before = reported.put(poll.address(), new Reported(poll.room(),
                    now.plus(keptFor(poll.interval()))));
            if (before == null) {
                LOG.log(System.Logger.Level.INFO, "edge {0} polls every {1} s{2}: listeners are sent there when this"
                        + " server is full", poll.address(), poll.interval().toSeconds(),
                        poll.room().isPresent() ? " with room for " + poll.room().getAsInt() : "");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The edge a listener this server cannot take is sent to, counted against that edge's room; empty
     * when there is none (the listener is refused as without edges).
     */
    public Optional<EdgeAddress> edgeForListener() {
        Instant now = clock.instant();
        ServerConfig self = config.get();
        lock.lock();
        try {
            forgetSilent(now);
            Map.Entry<EdgeAddress, Reported> roomiest = null;
            for (Map.Entry<EdgeAddress, Reported> edge : reported.entrySet()) {
                int free = edge.getValue().free();
                if (free > 0 && !isSelf(edge.getKey(), self)
                        && (roomiest == null || free > roomiest.getValue().free())) {
                    roomiest = edge;
                }
            }
            if (roomiest != null) {
                roomiest.getValue().sent++;
                return Optional.of(roomiest.getKey());
            }
            List<EdgeAddress> unknown = unknownRoom(self);
            if (unknown.isEmpty()) {
                return Optional.empty();
            }
            turn = turn % unknown.size();
            return Optional.of(unknown.get(turn++));
        } finally {
            lock.unlock();
        }
    }

    /** The edges known now: the reported ones in the order they came, then the static ones. */
    public List<Edge> edges() {
        Instant now = clock.instant();
        lock.lock();
        try {
            forgetSilent(now);
            List<Edge> edges = new ArrayList<>();
            reported.forEach((address, r) -> edges.add(new Edge(address,
                    r.room.isPresent() ? OptionalInt.of(r.free()) : OptionalInt.empty(), true)));
            for (EdgeAddress address : config.get().redirectTo()) {
                if (!reported.containsKey(address)) {
                    edges.add(new Edge(address, OptionalInt.empty(), false));
                }
            }
            return edges;
        } finally {
            lock.unlock();
        }
    }

    private List<EdgeAddress> unknownRoom(ServerConfig self) {
        List<EdgeAddress> unknown = new ArrayList<>();
        reported.forEach((address, r) -> {
            if (r.room.isEmpty()) {
                unknown.add(address);
            }
        });
        for (EdgeAddress address : self.redirectTo()) {
            if (!reported.containsKey(address)) {
                unknown.add(address);
            }
        }
        unknown.removeIf(address -> isSelf(address, self));
        return unknown;
    }

    /**
     * This server under its public name ({@code hostname}, {@code port}): a listener sent there would be
     * sent there again, until its player gives up.
     */
    private static boolean isSelf(EdgeAddress edge, ServerConfig self) {
        return edge.port() == self.port() && edge.host().equalsIgnoreCase(self.hostname());
    }

    private void forgetSilent(Instant now) {
        for (Iterator<Map.Entry<EdgeAddress, Reported>> it = reported.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<EdgeAddress, Reported> edge = it.next();
            if (!now.isBefore(edge.getValue().forgetAt)) {
                it.remove();
                LOG.log(System.Logger.Level.INFO, "edge {0} forgotten: it stopped polling", edge.getKey());
            }
        }
    }

    /** What an edge said on its last poll, and how many listeners were sent there since. */
    private static final class Reported {
        final OptionalInt room;
        final Instant forgetAt;
        int sent;

        Reported(OptionalInt room, Instant forgetAt) {
            this.room = room;
            this.forgetAt = forgetAt;
        }

        /** Places left by the last report; 0 for an edge that did not say. */
        int free() {
            return room.isPresent() ? Math.max(0, room.getAsInt() - sent) : 0;
        }
    }

    /** How long an edge that polls every {@code interval} is kept after its last poll. */
    static Duration keptFor(Duration interval) {
        return interval.multipliedBy(MISSED_POLLS);
    }
}
