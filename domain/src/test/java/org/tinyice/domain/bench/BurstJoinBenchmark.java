package org.tinyice.domain.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.RingCursor;
import org.tinyice.domain.stream.StreamRing;

/**
 * A new listener joining a busy mount: {@link RingCursor#withBurst} on a full (wrapped) ring of 512
 * chunks, asking for the default 64 KiB burst, and then draining that burst with {@code next()}.
 *
 * <p>{@code chunkBytes = 4096}: ByteChunkAssembler's full-size chunks (a 128 kbit/s MP3 stream), so
 * the burst is 16 chunks. {@code chunkBytes = 400}: a low-bitrate stream (32 kbit/s) whose chunks are
 * cut by the 100 ms age limit, so the burst is 164 chunks and {@code burstStart} walks that far.
 * The ring is not written to while measuring (single-threaded, join cost only).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class BurstJoinBenchmark {

    static final int RING_CHUNKS = 512;
    static final int BURST_BYTES = 65536;

    @Param({"4096", "400"})
    public int chunkBytes;

    StreamRing ring;
    int expectedChunks;

    @Setup(Level.Trial)
    public void setUp() {
        ring = new StreamRing(RING_CHUNKS);
        for (int i = 0; i < 3 * RING_CHUNKS + 7; i++) { // wrapped: every slot holds a live chunk
            byte[] bytes = new byte[chunkBytes];
            bytes[0] = (byte) i;
            ring.publishOwned(bytes);
        }
        expectedChunks = (BURST_BYTES + chunkBytes - 1) / chunkBytes;
        int drained = drain(RingCursor.withBurst(ring, BURST_BYTES), null);
        if (drained != expectedChunks) {
            throw new IllegalStateException("burst gave " + drained + " chunks, expected " + expectedChunks);
        }
    }

    /** Placing the cursor only (what ListenerService does per new listener). */
    @Benchmark
    public RingCursor join() {
        return RingCursor.withBurst(ring, BURST_BYTES);
    }

    /** Placing the cursor and reading the whole burst with next() until it returns null. */
    @Benchmark
    public int joinAndDrain(Blackhole bh) {
        return drain(RingCursor.withBurst(ring, BURST_BYTES), bh);
    }

    private static int drain(RingCursor cursor, Blackhole bh) {
        int count = 0;
        for (Chunk chunk = cursor.next(); chunk != null; chunk = cursor.next()) {
            if (bh != null) {
                bh.consume(chunk.bytes()[0]);
            }
            count++;
        }
        if (cursor.laps() != 0) {
            throw new IllegalStateException("a burst on a still ring must not lap");
        }
        return count;
    }
}
