package org.tinyice.domain.bench;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.RingCursor;
import org.tinyice.domain.stream.StreamRing;

/**
 * Fan-out: one writer, {@code readers} virtual threads each reading the ring the way ListenerStream
 * does ({@code next()} until null, then {@code await}). One benchmark op = publish one 4 KiB chunk
 * and wait until <em>every</em> reader has taken it with {@code next()}, so the primary score is
 * publishes per second (its inverse: the time from publish until the last listener has the chunk)
 * and the {@code chunks} counter is chunks delivered per second (= publishes/s x readers).
 *
 * <p>Kept honest: each reader checks it gets every sequence in order (no gap, no lap) and counts
 * what it consumed; the trial fails if any reader missed a chunk. Every wait is bounded: readers
 * await at most 100 ms at a time, the writer gives up after 10 s, teardown joins with a timeout.
 * The lock-step (publish, wait for all) means readers never lap; it measures the wake-up path,
 * not listener socket writes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ManyReadersBenchmark {

    static final int CHUNK_BYTES = 4096;
    static final int RING_CHUNKS = 512;
    static final long WRITER_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @State(Scope.Benchmark)
    public static class Fanout {
        @Param({"100", "1000"})
        public int readers;

        StreamRing ring;
        byte[] data;
        final AtomicLong delivered = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
        volatile long target;
        volatile Thread writer;
        volatile boolean stop;
        Thread[] threads;
        long[] consumed;
        long[] checksums;

        @Setup(Level.Trial)
        public void setUp() {
            ring = new StreamRing(RING_CHUNKS);
            data = new byte[CHUNK_BYTES];
            ThreadLocalRandom.current().nextBytes(data);
            threads = new Thread[readers];
            consumed = new long[readers];
            checksums = new long[readers];
            for (int i = 0; i < readers; i++) {
                int index = i;
                RingCursor cursor = new RingCursor(ring, ring.head());
                threads[i] = Thread.ofVirtual().name("reader-", i).start(() -> read(index, cursor));
            }
        }

        private void read(int index, RingCursor cursor) {
            long expected = cursor.position();
            long count = 0;
            long checksum = 0;
            try {
                while (true) {
                    Chunk chunk = cursor.next();
                    if (chunk != null) {
                        if (chunk.sequence() != expected) {
                            errors.incrementAndGet();
                        }
                        expected = chunk.sequence() + 1;
                        checksum += chunk.bytes()[chunk.length() - 1]; // touch the payload
                        count++;
                        if (delivered.incrementAndGet() == target) {
                            LockSupport.unpark(writer); // the last reader to get it wakes the writer
                        }
                        continue;
                    }
                    if (cursor.laps() > 0) {
                        errors.incrementAndGet();
                        return;
                    }
                    if (stop || cursor.streamEnded()) {
                        return;
                    }
                    cursor.await(100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                errors.incrementAndGet();
            } finally {
                consumed[index] = count;
                checksums[index] = checksum;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            ring.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Thread thread : threads) {
                long left = Math.max(1, deadline - System.nanoTime());
                if (!thread.join(Duration.ofNanos(left))) {
                    throw new IllegalStateException("reader did not finish: " + thread);
                }
            }
            long published = ring.head();
            for (int i = 0; i < readers; i++) {
                if (consumed[i] != published) {
                    throw new IllegalStateException("reader " + i + " consumed " + consumed[i] + " of " + published);
                }
            }
            if (errors.get() != 0) {
                throw new IllegalStateException(errors.get() + " readers saw a gap, a lap or an interrupt");
            }
            if (delivered.get() != published * readers) {
                throw new IllegalStateException("delivered " + delivered.get() + ", expected " + published * readers);
            }
        }
    }

    /** Chunks delivered (taken by a reader with next()) per second, as a secondary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Delivered {
        public long chunks;

        @Setup(Level.Iteration)
        public void reset() {
            chunks = 0;
        }
    }

    @Benchmark
    public long publishUntilAllReadersHaveIt(Fanout f, Delivered counters) {
        f.writer = Thread.currentThread();
        long want = f.target + f.readers;
        f.target = want; // before publishing: the reader that reaches it unparks us
        f.ring.publish(f.data, 0, CHUNK_BYTES);
        long deadline = System.nanoTime() + WRITER_PATIENCE_NANOS;
        while (f.delivered.get() < want) {
            LockSupport.parkNanos(f, 1_000_000L); // normally unparked long before; 1 ms is a fallback
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("readers did not all get chunk " + (f.ring.head() - 1)
                        + " within 10 s: " + (f.delivered.get() - (want - f.readers)) + "/" + f.readers);
            }
        }
        counters.chunks += f.readers;
        return want;
    }
}
