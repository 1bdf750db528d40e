package org.tinyice.application.config;

import static org.tinyice.application.config.Settings.requireBetween;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

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

    /** A hundred years; anything longer is a typo. */
    public static final int MAX_DAYS = 36_500;

    public Retention {
        requireBetween("song_play_days", songPlays, ChronoUnit.DAYS, 1, MAX_DAYS);
        requireBetween("listener_session_days", listenerSessions, ChronoUnit.DAYS, 1, MAX_DAYS);
        requireBetween("minute_sample_days", minuteSamples, ChronoUnit.DAYS, 1, MAX_DAYS);
        requireBetween("hourly_sample_days", hourlySamples, ChronoUnit.DAYS, 1, MAX_DAYS);
        if (hourlySamples.compareTo(minuteSamples) < 0) {
            // hours are rolled up from minutes: they cannot go before the minutes they are made of
            throw new InvalidSettingException("\"hourly_sample_days\" (" + hourlySamples.toDays()
                    + ") must be at least \"minute_sample_days\" (" + minuteSamples.toDays()
                    + "): hourly samples are made from the minute samples", "hourly_sample_days", "minute_sample_days");
        }
    }
}
