package org.tinyice.application.config;

import java.time.Duration;

/**
 * Server-wide limits.
 *
 * @param maxListeners      listeners on all mounts together
 * @param maxSources        sources connected at once
 * @param burstSize         bytes of history a new listener gets at once, unless its mount says otherwise
 * @param sourceIdleTimeout a source that sends nothing for this long is dropped
 * @param headerTimeout     a client that has not finished its request head by then is closed
 */
public record Limits(int maxListeners, int maxSources, int burstSize, Duration sourceIdleTimeout,
                     Duration headerTimeout) {

    public static final Limits DEFAULT = new Limits(19_500, 32, 65_536, Duration.ofSeconds(10), Duration.ofSeconds(15));

    public Limits {
        if (maxListeners < 0 || maxSources < 0 || burstSize < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (sourceIdleTimeout.isNegative() || sourceIdleTimeout.isZero()
                || headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
