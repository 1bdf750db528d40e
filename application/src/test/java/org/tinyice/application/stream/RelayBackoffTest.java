package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelayBackoffTest {

    private static List<Long> waits(RelayBackoff backoff, int n) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.add(backoff.next().toMillis());
        }
        return waits;
    }

    @Test
    void doublesFromOneSecondUpToAMinuteAtTheTopOfItsJitter() {
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L),
                waits(new RelayBackoff(() -> 0.999_999_9), 8));
    }

    @Test
    void neverWaitsLessThanHalfTheSchedule() {
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L),
                waits(new RelayBackoff(() -> 0.0), 8));
    }

    @Test
    void edgesThatFailTogetherSpreadTheirRetries() {
        Random random = new Random(7);
        List<Long> seventhWaits = new ArrayList<>();
        for (int edge = 0; edge < 20; edge++) {
            RelayBackoff backoff = new RelayBackoff(random::nextDouble);
            seventhWaits.add(waits(backoff, 7).getLast());
        }
        assertTrue(seventhWaits.stream().distinct().count() > 15, seventhWaits.toString());
        assertTrue(seventhWaits.stream().allMatch(w -> w >= 30_000 && w <= 60_000), seventhWaits.toString());
    }

    @Test
    void audioFromTheUpstreamStartsTheScheduleAgain() {
        RelayBackoff backoff = new RelayBackoff(() -> 0.999_999_9);
        waits(backoff, 5);
        backoff.reset();
        assertEquals(Duration.ofMillis(1_000), backoff.next());
    }
}
