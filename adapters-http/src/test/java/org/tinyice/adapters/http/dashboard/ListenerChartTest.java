package org.tinyice.adapters.http.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.adapters.http.dashboard.ListenerChart.Point;
import org.tinyice.adapters.http.dashboard.ListenerChart.Range;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.ListenerSample.Resolution;

class ListenerChartTest {

    static final Instant NOW = Instant.parse("2026-11-24T14:32:10Z");

    static ListenerSample minute(String at, int listeners, int peak) {
        return new ListenerSample("/live", Instant.parse(at), Resolution.MINUTE, 1, listeners, peak, 0, 0);
    }

    static ListenerSample hour(String at, int minutes, int listeners, int peak) {
        return new ListenerSample("/live", Instant.parse(at), Resolution.HOUR, minutes, listeners, peak, 0, 0);
    }

    @Test
    void aDayIsFiveMinuteStepsWithTheMeanAndThePeakOfTheirMinutes() {
        ListenerChart chart = ListenerChart.of(Range.DAY, NOW, List.of(
                minute("2026-11-24T14:20:00Z", 2, 2),
                minute("2026-11-24T14:21:00Z", 3, 7),
                minute("2026-11-24T14:24:00Z", 4, 4),
                minute("2026-11-24T14:25:00Z", 10, 12)));
        assertEquals(List.of(
                new Point(Instant.parse("2026-11-24T14:20:00Z"), 3, 3, 7),
                new Point(Instant.parse("2026-11-24T14:25:00Z"), 1, 10, 12)), chart.points());
        assertEquals(NOW.minus(Duration.ofDays(1)), chart.from());
        assertEquals(NOW, chart.to());
    }

    @Test
    void anHourWeighsAsManyMinutesAsItStandsFor() {
        // a day of the year chart: 60 minutes at 10 and 1 minute at 40 average to 10.49..., i.e. 10
        ListenerChart chart = ListenerChart.of(Range.YEAR, NOW, List.of(
                hour("2026-05-01T10:00:00Z", 60, 10, 15),
                hour("2026-05-01T11:00:00Z", 1, 40, 41)));
        assertEquals(List.of(new Point(Instant.parse("2026-05-01T00:00:00Z"), 61, 10, 41)), chart.points());
    }

    @Test
    void stepsWithoutSamplesAreLeftOutAndTheMeanRoundsHalfUp() {
        ListenerChart chart = ListenerChart.of(Range.WEEK, NOW, List.of(
                minute("2026-11-20T08:10:00Z", 1, 1),
                minute("2026-11-20T08:50:00Z", 2, 2),
                minute("2026-11-20T11:00:00Z", 5, 5)));
        assertEquals(List.of(
                new Point(Instant.parse("2026-11-20T08:00:00Z"), 2, 2, 2),
                new Point(Instant.parse("2026-11-20T11:00:00Z"), 1, 5, 5)), chart.points());
    }

    @Test
    void aFullRangeOfMinutesStaysAFewHundredPoints() {
        for (Range range : Range.values()) {
            List<ListenerSample> samples = new ArrayList<>();
            Instant from = ListenerChart.from(range, NOW);
            // hours up to a week ago, minutes after that, as retention keeps them
            Instant minutesFrom = NOW.minus(Duration.ofDays(7)).truncatedTo(ChronoUnit.HOURS);
            Instant t = from.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            for (; t.isBefore(minutesFrom); t = t.plus(Duration.ofHours(1))) {
                samples.add(new ListenerSample("/live", t, Resolution.HOUR, 60, 3, 5, 0, 0));
            }
            for (t = samples.isEmpty() ? from.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)) : t;
                 t.isBefore(NOW); t = t.plus(Duration.ofMinutes(1))) {
                samples.add(new ListenerSample("/live", t, Resolution.MINUTE, 1, 3, 5, 0, 0));
            }
            int points = ListenerChart.of(range, NOW, samples).points().size();
            assertTrue(points <= 366, range + ": " + points + " points");
            assertTrue(points >= range.length().dividedBy(range.step()) - 2, range + ": " + points + " points");
        }
    }

    @Test
    void rangesAreNamedInLowerCase() {
        assertEquals(Optional.of(Range.WEEK), Range.parse("week"));
        assertEquals(Optional.empty(), Range.parse("WEEK"));
        assertEquals(Optional.empty(), Range.parse("month"));
        assertEquals(Optional.empty(), Range.parse(""));
    }
}
