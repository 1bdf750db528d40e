package org.tinyice.adapters.persistence.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;

/** Song plays kept in memory only, for tests and for running without a data directory. Thread-safe. */
public final class InMemorySongHistory implements SongHistory {

    /** A play and the order it was recorded in, which breaks ties between equal start times. */
    private record Entry(long order, SongPlay play) {
    }

    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing((Entry e) -> e.play().started()).thenComparingLong(Entry::order).reversed();

    private final List<Entry> entries = new ArrayList<>();
    private long recorded;

    @Override
    public synchronized void record(SongPlay play) {
        entries.add(new Entry(recorded++, Objects.requireNonNull(play, "play")));
    }

    @Override
    public synchronized List<SongPlay> recent(String mount, int limit, Optional<Instant> before) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return entries.stream()
                .filter(e -> e.play().mount().equals(mount))
                .filter(e -> before.isEmpty() || e.play().started().isBefore(before.get()))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .map(Entry::play)
                .toList();
    }

    @Override
    public synchronized int prune(Instant olderThan) {
        int before = entries.size();
        entries.removeIf(e -> e.play().started().isBefore(olderThan));
        return before - entries.size();
    }
}
