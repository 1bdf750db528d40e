package org.tinyice.domain.stream;

/**
 * How bytes are gathered into chunks: a chunk is published when it holds {@code targetBytes}, or
 * when its first byte has waited {@code maxDelayNanos}, whichever comes first. Bigger chunks mean
 * fewer listener wake-ups (CPU); the delay bounds how much latency that costs at low bitrates.
 */
public record ChunkPolicy(int targetBytes, long maxDelayNanos) {

    /** ~4 wake-ups a second at 128 kbit/s; never more than 100 ms of added latency otherwise. */
    public static final ChunkPolicy DEFAULT = new ChunkPolicy(4096, 100_000_000L);

    public ChunkPolicy {
        if (targetBytes < 1 || maxDelayNanos < 0) {
            throw new IllegalArgumentException("bad chunk policy: " + targetBytes + " bytes, " + maxDelayNanos + " ns");
        }
    }
}
