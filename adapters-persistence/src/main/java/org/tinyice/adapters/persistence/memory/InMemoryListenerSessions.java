package org.tinyice.adapters.persistence.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.ListenerSessions;

/** Listener sessions kept in memory only, for tests and for running without a data directory. Thread-safe. */
public final class InMemoryListenerSessions implements ListenerSessions {

    private final List<ListenerSession> sessions = new ArrayList<>();

    @Override
    public synchronized void record(ListenerSession session) {
        sessions.add(Objects.requireNonNull(session, "session"));
    }

    @Override
    public synchronized List<ListenerSession> sessions(String mount, Instant from, Instant to) {
        // a stable sort keeps the recording order among sessions that connected at the same time
        return sessions.stream()
                .filter(s -> s.mount().equals(mount))
                .filter(s -> !s.connected().isBefore(from) && s.connected().isBefore(to))
                .sorted(Comparator.comparing(ListenerSession::connected))
                .toList();
    }

    @Override
    public synchronized int prune(Instant olderThan) {
        int before = sessions.size();
        sessions.removeIf(s -> s.connected().isBefore(olderThan));
        return before - sessions.size();
    }
}
