package org.tinyice.domain.stream;

/**
 * How bytes are gathered into chunks: a chunk is published when it holds {@code targetBytes}, or
 * when its first byte has waited {@code maxDelayNanos}, whichever comes first. Bigger chunks mean
 * fewer listener wake-ups (CPU); the delay bounds how much latency that costs at low bitrates.
 */
public record ChunkPolicy(int targetBytes, long maxDelayNanos) {

    /**
     * At most 2 socket writes a second per listener at ordinary bitrates (one per 500 ms of audio), and
     * chunks of at most 16 KiB at high ones (8 Mbit/s: 64 a second). Fan-out costs what the writes cost
     * (mostly the kernel's): with an encoder writing every 20 ms, a 100 ms limit published ~1.7 KB
     * chunks ten times a second. {@code limits.chunk_ms}, and a low-latency mount's gathering time,
     * trade CPU for latency.
     */
    public static final ChunkPolicy DEFAULT = new ChunkPolicy(16 * 1024, 500_000_000L);

    /** This policy with another delay (the same instance if the delay is the same). */
    public ChunkPolicy withMaxDelay(long nanos) {
        return nanos == maxDelayNanos ? this : new ChunkPolicy(targetBytes, nanos);
    }

    public ChunkPolicy {
        if (targetBytes < 1 || maxDelayNanos < 0) {
            throw new IllegalArgumentException("bad chunk policy: " + targetBytes + " bytes, " + maxDelayNanos + " ns");
        }
    }
}
