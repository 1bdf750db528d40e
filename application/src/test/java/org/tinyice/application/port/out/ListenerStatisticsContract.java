package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.ListenerSample.Resolution;

/**
 * What every {@link ListenerStatistics} must do. An adapter's test extends this class and says how to
 * make empty statistics; the tests here then run against that adapter.
 */
public abstract class ListenerStatisticsContract {

    /** The start of an hour. */
    protected static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant FAR_PAST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    /** New, empty statistics. */
    protected abstract ListenerStatistics newStatistics();

    protected static MinuteSample minute(String mount, Instant minute, int listeners, int peak, long in, long out) {
        return new MinuteSample(mount, minute, listeners, peak, in, out);
    }

    private static Instant at(int minutesAfterTen) {
        return TEN.plus(Duration.ofMinutes(minutesAfterTen));
    }

    private static List<ListenerSample> all(ListenerStatistics statistics, String mount) {
        return statistics.samples(mount, FAR_PAST, FAR_FUTURE);
    }

    @Test
    void knowsNothingOfAMountWithoutSamples() {
        assertEquals(List.of(), all(newStatistics(), "/live"));
    }

    @Test
    void givesBackMinutesAsRecordedInTimeOrder() {
        ListenerStatistics statistics = newStatistics();
        MinuteSample second = minute("/live", at(1), 5, 9, 16_000, 80_000_000_000L);
        MinuteSample first = minute("/live", at(0), 3, 4, 15_000, 60_000);
        statistics.record(second);
        statistics.record(first);

        assertEquals(List.of(first.asListenerSample(), second.asListenerSample()), all(statistics, "/live"));
    }

    @Test
    void theRangeIncludesItsStartAndLeavesOutItsEnd() {
        ListenerStatistics statistics = newStatistics();
        for (int m = 0; m < 5; m++) {
            statistics.record(minute("/live", at(m), m, m, m, m));
        }

        List<ListenerSample> samples = statistics.samples("/live", at(1), at(3));

        assertEquals(List.of(at(1), at(2)), samples.stream().map(ListenerSample::start).toList());
    }

    @Test
    void keepsMountsApart() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 1, 1, 1, 1));
        statistics.record(minute("/other", at(0), 2, 2, 2, 2));

        assertEquals(List.of(minute("/live", at(0), 1, 1, 1, 1).asListenerSample()), all(statistics, "/live"));
        assertEquals(List.of(minute("/other", at(0), 2, 2, 2, 2).asListenerSample()), all(statistics, "/other"));
    }

    @Test
    void aSecondSampleForTheSameMinuteIsMergedIn() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 8, 10, 1_000, 5_000));

        statistics.record(minute("/live", at(0), 3, 4, 200, 700));

        assertEquals(List.of(minute("/live", at(0), 3, 10, 1_200, 5_700).asListenerSample()), all(statistics, "/live"));
    }

    @Test
    void rollUpTurnsTheMinutesOfAnOldHourIntoOneHour() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 2, 3, 100, 1_000));
        statistics.record(minute("/live", at(1), 4, 9, 200, 2_000));
        statistics.record(minute("/live", at(59), 7, 7, 300, 3_000));
        statistics.record(minute("/live", at(60), 1, 1, 1, 1));

        int rolledUp = statistics.rollUp(at(60));

        assertEquals(3, rolledUp);
        // mean listeners (2 + 4 + 7) / 3 = 4.33 -> 4
        assertEquals(List.of(
                new ListenerSample("/live", TEN, Resolution.HOUR, 3, 4, 9, 600, 6_000),
                minute("/live", at(60), 1, 1, 1, 1).asListenerSample()), all(statistics, "/live"));
    }

    @Test
    void theMeanOfAnHourIsRoundedHalfUp() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 1, 1, 0, 0));
        statistics.record(minute("/live", at(1), 2, 2, 0, 0));

        statistics.rollUp(at(60));

        assertEquals(2, all(statistics, "/live").getFirst().listeners());
    }

    @Test
    void rollUpLeavesTheHourOfTheCutoffWhole() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 1, 1, 1, 1));
        statistics.record(minute("/live", at(60), 2, 2, 2, 2));
        statistics.record(minute("/live", at(89), 3, 3, 3, 3));
        statistics.record(minute("/live", at(95), 4, 4, 4, 4));

        int rolledUp = statistics.rollUp(at(90));

        assertEquals(1, rolledUp);
        assertEquals(List.of(Resolution.HOUR, Resolution.MINUTE, Resolution.MINUTE, Resolution.MINUTE),
                all(statistics, "/live").stream().map(ListenerSample::resolution).toList());
    }

    @Test
    void rollUpKeepsMountsApartAndCoversEveryMount() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 2, 2, 10, 10));
        statistics.record(minute("/other", at(0), 6, 6, 20, 20));

        assertEquals(2, statistics.rollUp(at(60)));

        assertEquals(List.of(new ListenerSample("/live", TEN, Resolution.HOUR, 1, 2, 2, 10, 10)),
                all(statistics, "/live"));
        assertEquals(List.of(new ListenerSample("/other", TEN, Resolution.HOUR, 1, 6, 6, 20, 20)),
                all(statistics, "/other"));
    }

    @Test
    void aLaterRollUpIntoTheSameHourMergesWithIt() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 2, 5, 100, 100));
        statistics.rollUp(at(60));
        // a minute of that hour that arrived late
        statistics.record(minute("/live", at(30), 6, 8, 50, 70));

        assertEquals(1, statistics.rollUp(at(60)));

        assertEquals(List.of(new ListenerSample("/live", TEN, Resolution.HOUR, 2, 4, 8, 150, 170)),
                all(statistics, "/live"));
    }

    @Test
    void rollUpWithNothingOldEnoughChangesNothing() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 1, 1, 1, 1));

        assertEquals(0, statistics.rollUp(at(59)));

        assertEquals(List.of(minute("/live", at(0), 1, 1, 1, 1).asListenerSample()), all(statistics, "/live"));
    }

    @Test
    void theRangeSelectsHoursByTheirStart() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 1, 1, 1, 1));
        statistics.record(minute("/live", at(60), 1, 1, 1, 1));
        statistics.rollUp(at(120));

        assertEquals(List.of(at(60)), statistics.samples("/live", at(1), at(61)).stream()
                .map(ListenerSample::start).toList());
    }

    @Test
    void pruneForgetsMinutesAndHoursThatStartBeforeTheCutoff() {
        ListenerStatistics statistics = newStatistics();
        statistics.record(minute("/live", at(0), 1, 1, 1, 1));
        statistics.record(minute("/other", at(60), 1, 1, 1, 1));
        statistics.rollUp(at(120));
        statistics.record(minute("/live", at(120), 2, 2, 2, 2));
        statistics.record(minute("/live", at(121), 3, 3, 3, 3));

        int pruned = statistics.prune(at(121));

        assertEquals(3, pruned);
        assertEquals(List.of(minute("/live", at(121), 3, 3, 3, 3).asListenerSample()), all(statistics, "/live"));
        assertEquals(List.of(), all(statistics, "/other"));
    }
}
