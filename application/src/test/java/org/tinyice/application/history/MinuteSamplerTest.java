package org.tinyice.application.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.MinuteSample;

class MinuteSamplerTest {

    private static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");

    private final MinuteSampler sampler = new MinuteSampler();

    /** {@code seconds} after ten o'clock. */
    private static Instant at(int seconds) {
        return TEN.plusSeconds(seconds);
    }

    private static Map<String, MountTraffic> live(int listeners, long in, long out) {
        return Map.of("/live", new MountTraffic(listeners, in, out));
    }

    @Test
    void aMinuteComesOutOnlyWhenALookFallsInALaterMinute() {
        assertEquals(List.of(), sampler.observe(at(0), live(1, 100, 100)));
        assertEquals(List.of(), sampler.observe(at(30), live(2, 200, 300)));
        assertEquals(List.of(), sampler.observe(at(59), live(2, 250, 400)));

        List<MinuteSample> ended = sampler.observe(at(60), live(2, 300, 500));

        assertEquals(List.of(new MinuteSample("/live", TEN, 2, 2, 250, 400)), ended);
    }

    @Test
    void listenersAreTheLastLookAndThePeakTheHighest() {
        sampler.observe(at(5), live(3, 0, 0));
        sampler.observe(at(10), live(9, 0, 0));
        sampler.observe(at(15), live(4, 0, 0));

        MinuteSample sample = sampler.observe(at(65), live(1, 0, 0)).getFirst();

        assertEquals(4, sample.listeners());
        assertEquals(9, sample.peakListeners());
    }

    @Test
    void bytesAreCountedInTheMinuteOfTheLookThatSawThem() {
        sampler.observe(at(0), live(1, 1_000, 10_000));
        sampler.observe(at(55), live(1, 5_000, 50_000));
        List<MinuteSample> first = sampler.observe(at(65), live(1, 6_000, 60_000));
        sampler.observe(at(115), live(1, 10_000, 100_000));
        List<MinuteSample> second = sampler.observe(at(125), live(1, 10_500, 100_500));

        assertEquals(5_000, first.getFirst().bytesIn());
        assertEquals(50_000, first.getFirst().bytesOut());
        assertEquals(5_000, second.getFirst().bytesIn());
        assertEquals(50_000, second.getFirst().bytesOut());
    }

    @Test
    void theFirstLookAtAMountCountsItsTotalsWhole() {
        sampler.observe(at(10), live(0, 4_096, 0));

        assertEquals(4_096, sampler.finish().getFirst().bytesIn());
    }

    @Test
    void countersThatStartAgainAfterAReconnectCountFromZero() {
        sampler.observe(at(0), live(1, 90_000, 900_000));
        sampler.observe(at(20), live(1, 100_000, 1_000_000));
        // the source reconnected: new counters
        sampler.observe(at(40), live(1, 3_000, 30_000));

        MinuteSample sample = sampler.finish().getFirst();

        assertEquals(90_000 + 10_000 + 3_000, sample.bytesIn());
        assertEquals(900_000 + 100_000 + 30_000, sample.bytesOut());
    }

    @Test
    void eachMountHasItsOwnSamplesInMountOrder() {
        sampler.observe(at(0), Map.of("/b", new MountTraffic(2, 20, 20), "/a", new MountTraffic(1, 10, 10)));

        List<MinuteSample> ended = sampler.observe(at(60), Map.of("/a", new MountTraffic(1, 10, 10),
                "/b", new MountTraffic(2, 20, 20)));

        assertEquals(List.of(new MinuteSample("/a", TEN, 1, 1, 10, 10), new MinuteSample("/b", TEN, 2, 2, 20, 20)),
                ended);
    }

    @Test
    void aMountThatWentAwayIsEmittedOnceThenForgotten() {
        sampler.observe(at(0), live(5, 500, 500));
        sampler.observe(at(30), Map.of());

        assertEquals(List.of(new MinuteSample("/live", TEN, 5, 5, 500, 500)), sampler.observe(at(60), Map.of()));
        assertEquals(List.of(), sampler.observe(at(120), Map.of()));
        assertEquals(List.of(), sampler.finish());
    }

    @Test
    void aMountThatComesBackCountsItsNewTotalsWhole() {
        sampler.observe(at(0), live(1, 500, 500));
        sampler.observe(at(60), Map.of());
        sampler.observe(at(120), live(1, 700, 800));

        MinuteSample sample = sampler.finish().getFirst();

        assertEquals(TEN.plusSeconds(120), sample.minute());
        assertEquals(700, sample.bytesIn());
        assertEquals(800, sample.bytesOut());
    }

    @Test
    void minutesWithoutALookHaveNoSample() {
        sampler.observe(at(10), live(1, 100, 100));

        List<MinuteSample> ended = sampler.observe(at(10 + 5 * 60), live(1, 600, 600));

        assertEquals(List.of(TEN), ended.stream().map(MinuteSample::minute).toList());
        assertEquals(TEN.plusSeconds(5 * 60), sampler.finish().getFirst().minute());
    }

    @Test
    void aLookFromBeforeTheMinuteInProgressCountsInIt() {
        sampler.observe(at(70), live(1, 100, 100));

        assertEquals(List.of(), sampler.observe(at(50), live(8, 150, 150)));

        assertEquals(List.of(new MinuteSample("/live", TEN.plusSeconds(60), 8, 8, 150, 150)), sampler.finish());
    }

    @Test
    void finishEmitsTheMinutesInProgressAndStartsAfresh() {
        sampler.observe(at(0), live(1, 100, 100));

        assertEquals(1, sampler.finish().size());
        assertEquals(List.of(), sampler.finish());
        sampler.observe(at(10), live(1, 150, 150));
        assertEquals(150, sampler.finish().getFirst().bytesIn(), "after finish every mount is new again");
    }
}
