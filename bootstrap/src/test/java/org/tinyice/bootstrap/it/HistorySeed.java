package org.tinyice.bootstrap.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.tinyice.adapters.persistence.history.JdbiListenerStatistics;
import org.tinyice.adapters.persistence.history.JdbiSongHistory;
import org.tinyice.adapters.persistence.history.SqliteDatabase;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.MinuteSample;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;

/**
 * History written into a data directory before a server starts on it, through the real SQLite adapters:
 * the sampler only records the minutes a test is running, and a chart needs days.
 */
final class HistorySeed implements AutoCloseable {

    private final SqliteDatabase database;
    private final ListenerStatistics statistics;
    private final SongHistory songs;

    private HistorySeed(SqliteDatabase database) {
        this.database = database;
        this.statistics = new JdbiListenerStatistics(database);
        this.songs = new JdbiSongHistory(database);
    }

    static HistorySeed open(Path dataDirectory) {
        return new HistorySeed(SqliteDatabase.open(dataDirectory));
    }

    void minute(String mount, Instant minute, int listeners, int peak) {
        statistics.record(new MinuteSample(mount, minute.truncatedTo(ChronoUnit.MINUTES), listeners, peak,
                16_000L * 60, 16_000L * 60 * listeners));
    }

    void song(String mount, String title, Instant started, int listeners) {
        songs.record(SongPlay.of(mount, title, started, listeners));
    }

    /** As the retention job does: minutes in whole hours before {@code olderThan} become hours. */
    void rollUp(Instant olderThan) {
        statistics.rollUp(olderThan);
    }

    /**
     * A year of a believable station on {@code mount}, up to {@code now}: a morning and an evening peak,
     * quieter weekends, slow growth over the year. Every minute of the last week; before that one minute
     * per hour, rolled up into hours (a year of minutes would take the test far longer to write).
     */
    void station(String mount, Instant now) {
        Random random = new Random(5);
        Instant end = now.truncatedTo(ChronoUnit.MINUTES);
        Instant week = end.minus(Duration.ofDays(7));
        for (Instant t = end.minus(Duration.ofDays(364)).truncatedTo(ChronoUnit.HOURS); t.isBefore(week);
             t = t.plus(Duration.ofHours(1))) {
            int listeners = audience(t, now, random);
            minute(mount, t, listeners, listeners + random.nextInt(4));
        }
        for (Instant t = week; t.isBefore(end); t = t.plus(Duration.ofMinutes(1))) {
            int listeners = audience(t, now, random);
            minute(mount, t, listeners, listeners + random.nextInt(3));
        }
        rollUp(week);
    }

    /** How many listen at {@code t}. */
    static int audience(Instant t, Instant now, Random random) {
        var time = t.atOffset(ZoneOffset.UTC);
        double hour = time.getHour() + time.getMinute() / 60.0;
        double morning = 14 * Math.exp(-Math.pow((hour - 8.5) / 1.6, 2));
        double evening = 22 * Math.exp(-Math.pow((hour - 20.5) / 2.2, 2));
        double day = 6 + 5 * Math.sin((hour - 9) / 24 * 2 * Math.PI);
        double weekend = time.getDayOfWeek().getValue() >= 6 ? 0.75 : 1.0;
        double growth = 0.6 + 0.4 * (1 - Duration.between(t, now).toDays() / 365.0);
        double value = (morning + evening + day) * weekend * growth + random.nextGaussian() * 1.5;
        return (int) Math.max(0, Math.round(value));
    }

    @Override
    public void close() {
        database.close();
    }
}
