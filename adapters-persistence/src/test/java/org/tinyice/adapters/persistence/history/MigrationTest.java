package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.MinuteSample;
import org.tinyice.application.port.out.SongPlay;

/** A database written by the first release is upgraded in place when the current code opens it. */
class MigrationTest {

    private static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dataDirectory;

    @Test
    void aVersion1DatabaseIsUpgradedWithItsDataKept() {
        Path file = dataDirectory.resolve(SqliteDatabase.FILE_NAME);
        SongPlay play = SongPlay.of("/live", "Artist - Song", TEN, 12);
        MinuteSample minute = new MinuteSample("/live", TEN, 3, 5, 1_000, 9_000);
        try (SqliteDatabase version1 = SqliteDatabase.open(file, List.of(Schema.V1))) {
            assertEquals(1, version1.schemaVersion());
            new JdbiSongHistory(version1).record(play);
            new JdbiListenerStatistics(version1).record(minute);
        }

        try (SqliteDatabase current = SqliteDatabase.open(dataDirectory)) {
            assertEquals(Schema.MIGRATIONS.getLast().version(), current.schemaVersion());
            assertEquals(List.of(play), new JdbiSongHistory(current).recent("/live", 10, Optional.empty()));
            JdbiListenerStatistics statistics = new JdbiListenerStatistics(current);
            assertEquals(List.of(minute.asListenerSample()), statistics.samples("/live", TEN, TEN.plusSeconds(60)));

            // what version 2 added works on the upgraded file
            assertEquals(1, statistics.rollUp(TEN.plus(Duration.ofHours(1))));
            assertEquals(List.of(new ListenerSample("/live", TEN, ListenerSample.Resolution.HOUR, 1, 3, 5, 1_000, 9_000)),
                    statistics.samples("/live", TEN, TEN.plusSeconds(60)));
            ListenerSession session = new ListenerSession("/live", TEN, Duration.ofMinutes(5), 100, "mpv",
                    Optional.empty());
            JdbiListenerSessions sessions = new JdbiListenerSessions(current);
            sessions.record(session);
            assertEquals(List.of(session), sessions.sessions("/live", TEN, TEN.plusSeconds(1)));
        }
    }

    @Test
    void visitsRecordedBeforeVersion3AreIcecastListenersAndHlsVisitsAreKeptAfter() {
        Path file = dataDirectory.resolve(SqliteDatabase.FILE_NAME);
        try (SqliteDatabase version2 = SqliteDatabase.open(file, List.of(Schema.V1, Schema.V2))) {
            version2.jdbi().useHandle(handle -> handle.execute("INSERT INTO listener_sessions"
                    + " (mount, connected_ms, duration_ms, bytes, user_agent, address) VALUES (?, ?, ?, ?, ?, ?)",
                    "/live", TEN.toEpochMilli(), 60_000L, 100L, "mpv", null));
        }

        try (SqliteDatabase current = SqliteDatabase.open(dataDirectory)) {
            JdbiListenerSessions sessions = new JdbiListenerSessions(current);
            ListenerSession hls = new ListenerSession("/live", TEN.plusSeconds(1), Duration.ofSeconds(30), 500,
                    "Safari", Optional.empty(), ListenerSession.Protocol.HLS);
            sessions.record(hls);
            assertEquals(List.of(new ListenerSession("/live", TEN, Duration.ofMinutes(1), 100, "mpv", Optional.empty()),
                    hls), sessions.sessions("/live", TEN, TEN.plusSeconds(2)));
        }
    }

    @Test
    void theMigrationsAreNumberedOneByOne() {
        for (int i = 0; i < Schema.MIGRATIONS.size(); i++) {
            assertEquals(i + 1, Schema.MIGRATIONS.get(i).version());
        }
    }
}
