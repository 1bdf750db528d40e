package org.tinyice.application.port.out;

import java.time.Instant;
import java.util.List;

/** Finished listener visits: who listened to what, how long, with which player. */
public interface ListenerSessions {

    /** Keeps {@code session}. */
    void record(ListenerSession session);

    /**
     * Keeps {@code sessions}, in their order: all of them or, if it fails, none. Listeners leave in crowds
     * (a network cut, an edge restarting, a load test's end), and a store that writes a crowd at once does
     * it far cheaper than one visit at a time: a store that can overrides this.
     */
    default void recordAll(List<ListenerSession> sessions) {
        sessions.forEach(this::record);
    }

    /** The sessions of {@code mount} that connected in {@code [from, to)}, in order of connection. */
    List<ListenerSession> sessions(String mount, Instant from, Instant to);

    /** Forgets the sessions of every mount that connected before {@code olderThan}; returns how many. */
    int prune(Instant olderThan);
}
