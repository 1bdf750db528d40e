package org.tinyice.adapters.http.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tinyice.application.port.out.ListenerSample;

/**
 * A mount's listener samples over the last day, week or year, reduced to one point per step (5 minutes,
 * an hour, a day) so that a chart gets a few hundred points whatever the range: a year of minutes
 * would be half a million.
 *
 * @param range which range
 * @param from the start of the range (inclusive)
 * @param to its end, the time of the request (exclusive)
 * @param points the steps that have samples, in time order; steps without any are left out, and a chart
 *     shows them as a gap
 */
record ListenerChart(Range range, Instant from, Instant to, List<Point> points) {

    /** How far back a chart reaches and how long one of its points spans. */
    enum Range {
        DAY(Duration.ofDays(1), Duration.ofMinutes(5)),
        WEEK(Duration.ofDays(7), Duration.ofHours(1)),
        YEAR(Duration.ofDays(365), Duration.ofDays(1));

        private final Duration length;
        private final Duration step;

        Range(Duration length, Duration step) {
            this.length = length;
            this.step = step;
        }

        Duration length() {
            return length;
        }

        Duration step() {
            return step;
        }

        /** {@code day}, {@code week} or {@code year}. */
        static Optional<Range> parse(String name) {
            for (Range range : values()) {
                if (range.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(range);
                }
            }
            return Optional.empty();
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One step of the chart.
     *
     * @param start where the step starts: a whole multiple of the step since the epoch (UTC)
     * @param minutes how many minutes of samples went into it
     * @param listeners the mean listener count over those minutes, rounded half up (an hour's sample
     *     weighs as many minutes as it stands for)
     * @param peak the highest count seen inside the step
     */
    record Point(Instant start, int minutes, int listeners, int peak) {
    }

    /** The range ending at {@code now}: where to read samples from. */
    static Instant from(Range range, Instant now) {
        return now.minus(range.length());
    }

    /** {@code samples} (in time order, as the statistics give them) reduced to the range's steps. */
    static ListenerChart of(Range range, Instant now, List<ListenerSample> samples) {
        long stepMs = range.step().toMillis();
        List<Point> points = new ArrayList<>();
        long stepStart = Long.MIN_VALUE;
        int minutes = 0;
        long listenerMinutes = 0;
        int peak = 0;
        for (ListenerSample sample : samples) {
            long start = Math.floorDiv(sample.start().toEpochMilli(), stepMs) * stepMs;
            if (start != stepStart) {
                if (minutes > 0) {
                    points.add(point(stepStart, minutes, listenerMinutes, peak));
                }
                stepStart = start;
                minutes = 0;
                listenerMinutes = 0;
                peak = 0;
            }
            minutes += sample.minutes();
            listenerMinutes += (long) sample.listeners() * sample.minutes();
            peak = Math.max(peak, sample.peakListeners());
        }
        if (minutes > 0) {
            points.add(point(stepStart, minutes, listenerMinutes, peak));
        }
        return new ListenerChart(range, from(range, now), now, List.copyOf(points));
    }

    private static Point point(long startMs, int minutes, long listenerMinutes, int peak) {
        return new Point(Instant.ofEpochMilli(startMs), minutes, ListenerSample.meanListeners(listenerMinutes, minutes),
                peak);
    }
}
