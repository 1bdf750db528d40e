package org.tinyice.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stretch of a mount's listener statistics as read back: a minute as it was recorded, or an hour that
 * older minutes were rolled up into. One type for both, so a graph over any range is one list in time
 * order, each point saying how long it spans.
 *
 * @param mount the mount path
 * @param start where the minute or hour starts
 * @param resolution how long it spans
 * @param minutes how many minute samples it stands for: 1 for a minute, up to 60 for an hour (fewer when
 *     the server did not run the whole hour)
 * @param listeners for a minute, the count at its end; for an hour, the mean of its minutes' counts,
 *     rounded half up
 * @param peakListeners the highest count seen inside it
 * @param bytesIn bytes received from the source inside it
 * @param bytesOut bytes sent to listeners inside it
 */
public record ListenerSample(String mount, Instant start, Resolution resolution, int minutes, int listeners,
                             int peakListeners, long bytesIn, long bytesOut) {

    /** How long one sample spans. */
    public enum Resolution {
        MINUTE(Duration.ofMinutes(1)),
        HOUR(Duration.ofHours(1));

        private final Duration length;

        Resolution(Duration length) {
            this.length = length;
        }

        public Duration length() {
            return length;
        }
    }

    public ListenerSample {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(resolution, "resolution");
        if (minutes < 1) {
            throw new IllegalArgumentException("a sample stands for at least one minute: " + minutes);
        }
        HistoryTime.requireNotNegative(listeners, "listeners");
        HistoryTime.requireNotNegative(peakListeners, "peakListeners");
        HistoryTime.requireNotNegative(bytesIn, "bytesIn");
        HistoryTime.requireNotNegative(bytesOut, "bytesOut");
    }

    /** The mean of {@code listenerMinutes} over {@code minutes}, rounded half up (how an hour's count is made). */
    public static int meanListeners(long listenerMinutes, int minutes) {
        return (int) ((2 * listenerMinutes + minutes) / (2L * minutes));
    }
}
