package org.tinyice.application.history;

/**
 * A look at one mount at one moment: its listeners now and its byte counters. The counters are totals
 * since the mount started; they start again from zero when a source reconnects.
 */
public record MountTraffic(int listeners, long bytesInTotal, long bytesOutTotal) {

    public MountTraffic {
        if (listeners < 0 || bytesInTotal < 0 || bytesOutTotal < 0) {
            throw new IllegalArgumentException("counts are never negative: " + listeners + ", " + bytesInTotal
                    + ", " + bytesOutTotal);
        }
    }
}
