package org.tinyice.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * What one mount did during one minute, as the sampler saw it.
 *
 * @param mount the mount path
 * @param minute the start of the minute (a whole minute)
 * @param listeners the listener count at the last look inside the minute
 * @param peakListeners the highest listener count seen inside the minute
 * @param bytesIn bytes received from the source during the minute
 * @param bytesOut bytes sent to listeners during the minute
 */
public record MinuteSample(String mount, Instant minute, int listeners, int peakListeners, long bytesIn,
                           long bytesOut) {

    public MinuteSample {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(minute, "minute");
        HistoryTime.requireWholeMinute(minute, "minute");
        HistoryTime.requireNotNegative(listeners, "listeners");
        HistoryTime.requireNotNegative(bytesIn, "bytesIn");
        HistoryTime.requireNotNegative(bytesOut, "bytesOut");
        if (peakListeners < listeners) {
            throw new IllegalArgumentException(
                    "the peak (" + peakListeners + ") cannot be below the count (" + listeners + ")");
        }
    }

    /** This minute as a sample read back from the statistics. */
    public ListenerSample asListenerSample() {
        return new ListenerSample(mount, minute, ListenerSample.Resolution.MINUTE, 1, listeners, peakListeners,
                bytesIn, bytesOut);
    }
}
