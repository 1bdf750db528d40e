package org.tinyice.application.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A mount's latency settings ({@code low_latency}, {@code low_latency_burst_ms},
 * {@code low_latency_gather_ms} in {@code tinyice.json}).
 *
 * @param enabled whether the mount is a low-latency one: its source's reads are gathered for at most
 *                {@code gather} instead of {@code limits.chunk_ms}, and a new listener gets {@code burst}
 *                of the latest audio instead of {@code burst_size} bytes
 * @param burst   how much of the latest audio (by arrival) a new listener gets at once
 * @param gather  how long a source's reads may be gathered before they are published; 0 publishes every
 *                read as it arrives
 */
public record LowLatency(boolean enabled, Duration burst, Duration gather) {

    /** Half a second: a player starts at once, and stays close to live. */
    public static final Duration DEFAULT_BURST = Duration.ofMillis(500);
    /**
     * 40 ms: one or two encoder writes (ffmpeg writes every 26 ms at 128 kbit/s). Publishing every write
     * on its own cost 5.5 times Icecast's CPU at 1,000 listeners (a socket write per listener per 20 ms
     * is mostly kernel time); gathering 40 ms cost 1.7 times, with a fan-out p99 of 78 ms against
     * Icecast's 95 (docs/performance.md).
     */
    public static final Duration DEFAULT_GATHER = Duration.ofMillis(40);
    /** A mount with the default latency. */
    public static final LowLatency OFF = new LowLatency(false, DEFAULT_BURST, DEFAULT_GATHER);

    public LowLatency {
        Objects.requireNonNull(burst, "burst");
        Objects.requireNonNull(gather, "gather");
        Settings.requireBetween("low_latency_burst_ms", burst.toMillis(), 0, 10_000);
        Settings.requireBetween("low_latency_gather_ms", gather.toMillis(), 0, 500);
    }

    public LowLatency withEnabled(boolean on) {
        return new LowLatency(on, burst, gather);
    }
}
