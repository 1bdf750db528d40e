package org.tinyice.application.config;

import static org.tinyice.application.config.Settings.requireBetween;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Server-wide limits.
 *
 * @param maxListeners      listeners on all mounts together
 * @param maxSources        sources connected at once
 * @param burstSize         bytes of history a new listener gets at once, unless its mount says otherwise
 * @param sourceIdleTimeout a source that sends nothing for this long is dropped
 * @param headerTimeout     a client that has not finished its request head by then is closed
 * @param chunkDelay        how long audio may wait to be gathered before listeners are woken for it:
 *                          the trade between CPU (fewer wake-ups and writes) and latency
 * @param maxConnectionsPerAddress connections one client address may hold open at once, of every kind
 *                          (0: no limit)
 * @param perAddressIncludesLoopback whether {@code maxConnectionsPerAddress} also holds for loopback
 *                          addresses; off by default because a reverse proxy on the same host brings
 *                          every visitor in from 127.0.0.1
 * @param maxSseClients     public event streams ({@code /events}) open at once (0: no limit)
 */
public record Limits(int maxListeners, int maxSources, int burstSize, Duration sourceIdleTimeout,
                     Duration headerTimeout, Duration chunkDelay, int maxConnectionsPerAddress,
                     boolean perAddressIncludesLoopback, int maxSseClients) {

    /**
     * Measured at 10,000 listeners of 128 kbit/s (docs/performance.md): 100 ms cost ~2x the CPU of
     * 250 ms, and 250 ms ~1.9x that of 500 ms (51.7 vs 27.1 % of a core), while fan-out latency p99
     * went from 395 to 607 ms. Listeners already play ~4 s behind live (the burst), so 500 ms it is.
     */
    public static final Duration DEFAULT_CHUNK_DELAY = Duration.ofMillis(500);

    /**
     * A browser opens about six connections to a host, a household behind one NAT a few browsers and
     * players: 64 leaves room for that while one host can no longer hold every file the process may open.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;

    /** Each open stream costs a virtual thread and a JSON render every 500 ms. */
    public static final int DEFAULT_MAX_SSE_CLIENTS = 256;

    /** Listeners on one server or one mount; more is a typo (a million listeners need a CDN, not one process). */
    public static final int MAX_LISTENERS = 10_000_000;

    /** Bytes of burst, server-wide or per mount: 16 MiB is over 15 minutes at 128 kbit/s. */
    public static final int MAX_BURST_SIZE = 16 * 1024 * 1024;

    public static final Limits DEFAULT = new Limits(19_500, 32, 65_536, Duration.ofSeconds(10), Duration.ofSeconds(15));

    /** The connection limits at their defaults. */
    public Limits(int maxListeners, int maxSources, int burstSize, Duration sourceIdleTimeout, Duration headerTimeout) {
        this(maxListeners, maxSources, burstSize, sourceIdleTimeout, headerTimeout, DEFAULT_CHUNK_DELAY,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, false, DEFAULT_MAX_SSE_CLIENTS);
    }

    /** The same limits with another chunk delay. */
    public Limits withChunkDelay(Duration delay) {
        return new Limits(maxListeners, maxSources, burstSize, sourceIdleTimeout, headerTimeout, delay,
                maxConnectionsPerAddress, perAddressIncludesLoopback, maxSseClients);
    }

    public Limits {
        requireBetween("max_listeners", maxListeners, 0, MAX_LISTENERS);
        requireBetween("max_sources", maxSources, 0, 100_000);
        requireBetween("burst_size", burstSize, 0, MAX_BURST_SIZE);
        requireBetween("source_timeout", sourceIdleTimeout, ChronoUnit.SECONDS, 1, 86_400);
        requireBetween("header_timeout", headerTimeout, ChronoUnit.SECONDS, 1, 3_600);
        requireBetween("chunk_ms", chunkDelay, ChronoUnit.MILLIS, 0, 5_000);
        requireBetween("max_connections_per_address", maxConnectionsPerAddress, 0, 1_000_000);
        requireBetween("max_sse_clients", maxSseClients, 0, 1_000_000);
    }
}
