package org.tinyice.domain.stream;

import java.util.function.Supplier;

/** Gathers a byte stream (MP3, AAC, ...) into chunks by size and age; boundaries are arbitrary. */
public final class ByteChunkAssembler implements StreamAssembler {

    private final StreamRing ring;
    /** Asked at every read: a mount switched to low latency, or a reloaded {@code limits.chunk_ms}, applies at once. */
    private final Supplier<ChunkPolicy> policy;
    private final byte[] pending;
    private int filled;
    private long firstByteNanos;

    public ByteChunkAssembler(StreamRing ring, ChunkPolicy policy) {
        this(ring, () -> policy);
    }

    public ByteChunkAssembler(StreamRing ring, Supplier<ChunkPolicy> policy) {
        this.ring = ring;
        this.policy = policy;
        this.pending = new byte[policy.get().targetBytes()];
    }

    @Override
    public void accept(byte[] data, int offset, int length, long nowNanos) {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (filled == 0) {
                firstByteNanos = nowNanos;
            }
            int take = Math.min(pending.length - filled, end - position);
            System.arraycopy(data, position, pending, filled, take);
            filled += take;
            position += take;
            if (filled == pending.length) {
                flush();
            }
        }
        if (filled > 0 && nowNanos - firstByteNanos >= policy.get().maxDelayNanos()) {
            flush();
        }
    }

    @Override
    public void flushIfDue(long nowNanos) {
        if (filled > 0 && nowNanos - firstByteNanos >= policy.get().maxDelayNanos()) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (filled > 0) {
            ring.publish(pending, 0, filled);
            filled = 0;
        }
    }

    /** A byte stream has no units to keep whole: everything is published, nothing is left. */
    @Override
    public byte[] release() {
        flush();
        return new byte[0];
    }
}
