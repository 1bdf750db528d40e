package org.tinyice.application.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.Retention;

class HistoryRetentionTest {

    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    @Test
    void theDefaultsKeepSongsAndSessions90DaysMinutes7DaysAndHoursAYear() {
        assertEquals(new Retention(Duration.ofDays(90), Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(365)),
                Retention.DEFAULTS);
    }

    @Test
    void rollsUpFirstThenPrunesEachKindAtItsOwnCutoff() {
        FakeHistoryPorts ports = new FakeHistoryPorts();
        HistoryRetention retention = new HistoryRetention(ports.songHistory, ports.listenerStatistics,
                ports.listenerSessions, () -> new Retention(Duration.ofDays(30), Duration.ofDays(10), Duration.ofDays(2),
                Duration.ofDays(100)));

        HistoryRetention.Outcome outcome = retention.enforce(NOW);

        assertEquals(List.of(
                "statistics.rollUp " + NOW.minus(Duration.ofDays(2)),
                "statistics.prune " + NOW.minus(Duration.ofDays(100)),
                "songs.prune " + NOW.minus(Duration.ofDays(30)),
                "sessions.prune " + NOW.minus(Duration.ofDays(10))), ports.calls);
        assertEquals(new HistoryRetention.Outcome(2, 3, 1, 4), outcome);
    }

    @Test
    void refusesRetentionsThatMakeNoSense() {
        Duration day = Duration.ofDays(1);
        assertThrows(IllegalArgumentException.class, () -> new Retention(Duration.ZERO, day, day, day));
        assertThrows(IllegalArgumentException.class, () -> new Retention(day, day.negated(), day, day));
        assertThrows(IllegalArgumentException.class, () -> new Retention(day, day, Duration.ofDays(7), day));
        assertThrows(NullPointerException.class, () -> new Retention(day, day, day, null));
    }
}
