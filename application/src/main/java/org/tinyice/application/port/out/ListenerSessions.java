package org.tinyice.application.port.out;

import java.time.Instant;
import java.util.List;

/** Finished listener visits: who listened to what, how long, with which player. */
public interface ListenerSessions {

    /** Keeps {@code session}. */
    void record(ListenerSession session);

    /** The sessions of {@code mount} that connected in {@code [from, to)}, in order of connection. */
    List<ListenerSession> sessions(String mount, Instant from, Instant to);

    /** Forgets the sessions of every mount that connected before {@code olderThan}; returns how many. */
    int prune(Instant olderThan);
}
