package org.tinyice.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * History keeps time to the millisecond: that is what the database stores, so the records cut it there
 * on the way in and a value reads back exactly as it was recorded, whatever the store.
 */
final class HistoryTime {

    private HistoryTime() {
    }

    static Instant toMillis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    static Duration toMillis(Duration duration) {
        return duration.truncatedTo(ChronoUnit.MILLIS);
    }

    static void requireWholeMinute(Instant instant, String name) {
        if (!instant.truncatedTo(ChronoUnit.MINUTES).equals(instant)) {
            throw new IllegalArgumentException(name + " must be the start of a minute: " + instant);
        }
    }

    static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
