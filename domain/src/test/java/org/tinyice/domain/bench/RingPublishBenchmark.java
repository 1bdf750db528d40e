package org.tinyice.domain.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.StreamRing;

/**
 * What one {@link StreamRing#publish} of a 4 KiB chunk (ByteChunkAssembler's default size) costs the
 * writer, i.e. the source's thread.
 *
 * <ul>
 *   <li>{@code publishNoReaders}: the mount nobody listens to: copy + Chunk + slot store + volatile
 *       counter; {@code waiting == 0}, so no lock.</li>
 *   <li>{@code publishOwnedNoReaders}: the same without the copy (the array is handed over; here the
 *       same array every time, which is fine since nobody reads it): the ring's own cost.</li>
 *   <li>{@code publishWithParkedReaders}: {@code parked} virtual threads sit in
 *       {@link StreamRing#awaitPublished} for a sequence that never comes, so {@code waiting > 0} and
 *       every publish takes the lock and {@code signalAll}s them; each one wakes, must re-take the
 *       lock to leave {@code awaitNanos}, sees nothing for it and parks again. Only the writer is
 *       measured; the readers' wake-ups compete with it for the lock and for the 2 cores.</li>
 * </ul>
 *
 * Ring capacity 512 as in {@code SourceService.RING_CHUNKS}; the ring wraps many times per iteration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingPublishBenchmark {

    static final int CHUNK_BYTES = 4096;
    static final int RING_CHUNKS = 512;

    @State(Scope.Thread)
    public static class Writer {
        StreamRing ring;
        byte[] data;

        @Setup(Level.Trial)
        public void setUp() {
            ring = new StreamRing(RING_CHUNKS);
            data = new byte[CHUNK_BYTES];
            ThreadLocalRandom.current().nextBytes(data);
        }
    }

    /** A ring with {@code parked} virtual threads waiting in {@code awaitPublished} throughout. */
    @State(Scope.Benchmark)
    public static class ParkedReaders {
        @Param({"1", "100"})
        public int parked;

        StreamRing ring;
        byte[] data;
        volatile boolean stop;
        final List<Thread> readers = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException {
            ring = new StreamRing(RING_CHUNKS);
            data = new byte[CHUNK_BYTES];
            ThreadLocalRandom.current().nextBytes(data);
            for (int i = 0; i < parked; i++) {
                readers.add(Thread.ofVirtual().name("parked-", i).start(() -> {
                    try {
                        while (!stop && !ring.isClosed()) {
                            // a sequence the writer never reaches: woken by each signalAll, parks again
                            ring.awaitPublished(Long.MAX_VALUE - 1, 100, TimeUnit.MILLISECONDS);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            // bounded wait until they are all parked, so the first publish already pays for them
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            if (waiting(ring) < 0) {
                Thread.sleep(500); // cannot see the count: give them time
                return;
            }
            while (waiting(ring) < parked) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("readers did not park: " + waiting(ring) + "/" + parked);
                }
                Thread.sleep(1);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            ring.close();
            for (Thread reader : readers) {
                if (!reader.join(java.time.Duration.ofSeconds(5))) {
                    throw new IllegalStateException("reader did not stop: " + reader);
                }
            }
        }
    }

    @Benchmark
    public Chunk publishNoReaders(Writer w) {
        return w.ring.publish(w.data, 0, CHUNK_BYTES);
    }

    @Benchmark
    public Chunk publishOwnedNoReaders(Writer w) {
        return w.ring.publishOwned(w.data);
    }

    @Benchmark
    public Chunk publishWithParkedReaders(ParkedReaders p) {
        return p.ring.publish(p.data, 0, CHUNK_BYTES);
    }

    /**
     * The ring's private {@code waiting} count, read reflectively (setup only, never measured), or -1
     * if the ring no longer has such an int field.
     */
    static int waiting(StreamRing ring) {
        try {
            var field = StreamRing.class.getDeclaredField("waiting");
            field.setAccessible(true);
            return field.getInt(ring);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
