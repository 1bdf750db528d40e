package org.tinyice.application.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long history is kept ({@code "history"} in {@code tinyice.json}).
 *
 * @param songPlays how long song plays are kept
 * @param listenerSessions how long listener sessions are kept
 * @param minuteSamples how long per-minute statistics stay per minute before they are rolled up into hours
 * @param hourlySamples how long statistics are kept at all (as hours, by then)
 */
public record Retention(Duration songPlays, Duration listenerSessions, Duration minuteSamples,
                        Duration hourlySamples) {

    /** Songs and sessions 90 days, minutes 7 days, hours a year (8,760 small rows per mount). */
    public static final Retention DEFAULTS = new Retention(Duration.ofDays(90), Duration.ofDays(90),
            Duration.ofDays(7), Duration.ofDays(365));

    public Retention {
        requirePositive(songPlays, "songPlays");
        requirePositive(listenerSessions, "listenerSessions");
        requirePositive(minuteSamples, "minuteSamples");
        requirePositive(hourlySamples, "hourlySamples");
        if (hourlySamples.compareTo(minuteSamples) < 0) {
            throw new IllegalArgumentException("hours (" + hourlySamples + ") cannot be kept for less time"
                    + " than the minutes they are made of (" + minuteSamples + ")");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
