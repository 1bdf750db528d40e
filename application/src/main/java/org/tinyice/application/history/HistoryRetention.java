package org.tinyice.application.history;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.tinyice.application.config.Retention;
import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.SongHistory;

/**
 * The housekeeping job a scheduler runs now and then (hourly is plenty): rolls old minute samples up
 * into hours and forgets what is older than the {@link Retention} allows. It writes from the caller's
 * thread, beside the recorder's writer; the store serialises the two.
 */
public final class HistoryRetention {

    private final SongHistory songs;
    private final ListenerStatistics statistics;
    private final ListenerSessions sessions;
    private final Supplier<Retention> retention;

    /** @param retention read at every run, so a reloaded configuration applies to the next one */
    public HistoryRetention(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions,
                            Supplier<Retention> retention) {
        this.songs = Objects.requireNonNull(songs, "songs");
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** What one run did. */
    public record Outcome(int minuteSamplesRolledUp, int samplesPruned, int songPlaysPruned, int sessionsPruned) {
    }

    /** Applies the retention as of {@code now}. */
    public Outcome enforce(Instant now) {
        Retention retention = this.retention.get();
        int rolledUp = statistics.rollUp(now.minus(retention.minuteSamples()));
        int samples = statistics.prune(now.minus(retention.hourlySamples()));
        int plays = songs.prune(now.minus(retention.songPlays()));
        int visits = sessions.prune(now.minus(retention.listenerSessions()));
        return new Outcome(rolledUp, samples, plays, visits);
    }
}
