package org.tinyice.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The songs each mount played, newest first, for "recently played" lists. */
public interface SongHistory {

    /** Keeps {@code play}. Two plays with the same start time are both kept. */
    void record(SongPlay play);

    /**
     * Up to {@code limit} plays of {@code mount}, newest first; only those that started before
     * {@code before} when it is given, so a caller pages back by passing the oldest start it has seen.
     * Plays with the same start time come newest-recorded first.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    List<SongPlay> recent(String mount, int limit, Optional<Instant> before);

    /** Forgets the plays of every mount that started before {@code olderThan}; returns how many. */
    int prune(Instant olderThan);
}
