package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamRingTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    private static byte[] bytes(int length, int fill) {
        byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte) fill);
        return data;
    }

    @ParameterizedTest(name = "capacity {0} -> {1}")
    @CsvSource({"0, 2", "1, 2", "2, 2", "3, 4", "4, 4", "5, 8", "512, 512", "513, 1024"})
    void capacityIsRoundedUpToAPowerOfTwoOfAtLeastTwo(int requested, int expected) {
        assertEquals(expected, new StreamRing(requested).capacity());
    }

    @Test
    void publishedChunksGetConsecutiveSequencesAndHeadCountsThem() {
        StreamRing ring = new StreamRing(8);
        assertEquals(0, ring.head());
        for (int i = 0; i < 5; i++) {
            Chunk chunk = ring.publishOwned(bytes(3, i));
            assertEquals(i, chunk.sequence());
            assertEquals(i + 1, ring.head());
        }
        for (int i = 0; i < 5; i++) {
            Chunk chunk = ring.slot(i);
            assertNotNull(chunk);
            assertEquals(i, chunk.sequence());
            assertArrayEquals(bytes(3, i), chunk.bytes());
        }
    }

    @Test
    void slotOfAnUnpublishedSequenceIsNull() {
        StreamRing ring = new StreamRing(4);
        assertNull(ring.slot(0));
        ring.publishOwned(bytes(1, 1));
        assertNotNull(ring.slot(0));
        assertNull(ring.slot(1));
        assertNull(ring.slot(100));
    }

    @Test
    void slotOfAnOverwrittenSequenceHoldsTheNewerChunk() {
        StreamRing ring = new StreamRing(4);
        for (int i = 0; i < 6; i++) {
            ring.publishOwned(bytes(1, i));
        }
        // sequence 1 shares its slot with sequence 5: the newer sequence shows the lap
        assertEquals(5, ring.slot(1).sequence());
        assertEquals(4, ring.slot(0).sequence());
        assertEquals(2, ring.slot(2).sequence());
    }

    @Test
    void publishCopiesTheGivenRangeSoTheCallerMayReuseItsBuffer() {
        StreamRing ring = new StreamRing(4);
        byte[] buffer = {9, 1, 2, 3, 9};
        Chunk chunk = ring.publish(buffer, 1, 3);
        java.util.Arrays.fill(buffer, (byte) 0);
        assertArrayEquals(new byte[] {1, 2, 3}, chunk.bytes());
        assertArrayEquals(new byte[] {1, 2, 3}, ring.slot(0).bytes());
    }

    @Test
    void chunksCarryTheTitleAndHeadersInForceWhenPublished() {
        StreamRing ring = new StreamRing(4);
        Chunk before = ring.publishOwned(bytes(1, 0));
        ring.title("Song A");
        CodecHeaders headers = new CodecHeaders(1, bytes(2, 7));
        ring.headers(headers);
        Chunk after = ring.publishOwned(bytes(1, 1));

        assertEquals("", before.title());
        assertNull(before.headers());
        assertEquals("Song A", after.title());
        assertSame(headers, after.headers());
        assertSame(headers, ring.headers());

        ring.title(null);
        assertEquals("", ring.title());
        assertEquals("", ring.publishOwned(bytes(1, 2)).title());
    }

    @Test
    void burstStartOfZeroBytesIsTheLiveEdge() {
        StreamRing ring = new StreamRing(16);
        for (int i = 0; i < 10; i++) {
            ring.publishOwned(bytes(100, i));
        }
        assertEquals(ring.head(), ring.burstStart(0));
    }

    @Test
    void burstStartOnAnEmptyRingIsZero() {
        assertEquals(0, new StreamRing(16).burstStart(65_536));
    }

    @ParameterizedTest(name = "{0} bytes -> {1} chunks")
    @CsvSource({"1, 1", "100, 1", "101, 2", "250, 3", "300, 3", "301, 4", "1000, 10"})
    void burstStartTakesJustEnoughChunksToCoverTheRequestedBytes(int burstBytes, int expectedChunks) {
        StreamRing ring = new StreamRing(16);
        for (int i = 0; i < 10; i++) {
            ring.publishOwned(bytes(100, i));
        }
        assertEquals(ring.head() - expectedChunks, ring.burstStart(burstBytes));
    }

    @Test
    void burstStartNeverReachesFurtherBackThanTheRingHolds() {
        StreamRing ring = new StreamRing(8);
        for (int i = 0; i < 20; i++) {
            ring.publishOwned(bytes(100, i));
        }
        long start = ring.burstStart(1_000_000);
        assertTrue(ring.head() - start <= ring.capacity(), "burst reaches " + (ring.head() - start) + " chunks back");
        assertTrue(start >= 20 - 8, "start " + start);

        // and every chunk from there is really still in the ring: a cursor reads them without a lap
        RingCursor cursor = new RingCursor(ring, start);
        long expected = start;
        for (Chunk chunk = cursor.next(); chunk != null; chunk = cursor.next()) {
            assertEquals(expected++, chunk.sequence());
        }
        assertEquals(ring.head(), expected);
        assertEquals(0, cursor.laps());
    }

    @Test
    void burstStartOnAPartlyFilledRingCanGoBackToTheFirstChunk() {
        StreamRing ring = new StreamRing(8);
        for (int i = 0; i < 5; i++) {
            ring.publishOwned(bytes(100, i));
        }
        assertEquals(0, ring.burstStart(1_000_000));
    }

    @Test
    void awaitPublishedReturnsAtOnceWhenTheChunkIsAlreadyThere() throws InterruptedException {
        StreamRing ring = new StreamRing(4);
        ring.publishOwned(bytes(1, 0));
        assertTrue(ring.awaitPublished(0, 0, TimeUnit.NANOSECONDS));
    }

    @Test
    void awaitPublishedReturnsFalseWhenTheTimeoutPasses() throws InterruptedException {
        StreamRing ring = new StreamRing(4);
        ring.publishOwned(bytes(1, 0));
        assertTimeoutPreemptively(GUARD, () -> assertFalse(ring.awaitPublished(1, 20, TimeUnit.MILLISECONDS)));
        assertFalse(ring.awaitPublished(1, 0, TimeUnit.NANOSECONDS));
    }

    @Test
    void awaitPublishedWakesWhenAChunkIsPublished() {
        StreamRing ring = new StreamRing(4);
        assertTimeoutPreemptively(GUARD, () -> {
            // waits far longer than the guard: only a wake-up can make it return in time
            CompletableFuture<Boolean> woken = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    woken.complete(ring.awaitPublished(0, 10, TimeUnit.MINUTES));
                } catch (Throwable e) {
                    woken.completeExceptionally(e);
                }
            });
            awaitParked(waiter);
            ring.publishOwned(bytes(1, 0));
            assertTrue(woken.get());
        });
    }

    @Test
    void closeWakesWaitersAndTheySeeNothingNew() {
        StreamRing ring = new StreamRing(4);
        assertTimeoutPreemptively(GUARD, () -> {
            CompletableFuture<Boolean> woken = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    woken.complete(ring.awaitPublished(0, 10, TimeUnit.MINUTES));
                } catch (Throwable e) {
                    woken.completeExceptionally(e);
                }
            });
            awaitParked(waiter);
            ring.close();
            assertFalse(woken.get());
            assertTrue(ring.isClosed());
        });
    }

    @Test
    void awaitPublishedOnAClosedRingDoesNotWait() {
        StreamRing ring = new StreamRing(4);
        ring.publishOwned(bytes(1, 0));
        ring.close();
        assertTimeoutPreemptively(GUARD, () -> {
            assertFalse(ring.awaitPublished(1, 10, TimeUnit.MINUTES));
            assertTrue(ring.awaitPublished(0, 10, TimeUnit.MINUTES));
        });
    }

    /** Waits (bounded by the caller's guard) until the thread is parked in a timed wait. */
    private static void awaitParked(Thread thread) {
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (!thread.isAlive()) {
                return;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // one writer, many readers

    private static final int CHUNKS = 20_000;
    private static final int READERS = 200;
    private static final int RING = 1024;

    @Test
    void manyReadersEachSeeEveryChunkInOrderWhileAStalledReaderNeverHoldsTheWriterBack() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            StreamRing ring = new StreamRing(RING);
            AtomicLongArray progress = new AtomicLongArray(READERS);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<RingCursor> cursors = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                cursors.add(new RingCursor(ring, 0));
            }
            RingCursor stalled = new RingCursor(ring, 0);

            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                int reader = i;
                RingCursor cursor = cursors.get(i);
                readers.add(Thread.ofVirtual().name("reader-" + i).start(() -> {
                    long expected = 0;
                    try {
                        while (true) {
                            Chunk chunk = cursor.next();
                            if (chunk != null) {
                                long inBytes = ByteBuffer.wrap(chunk.bytes()).getLong();
                                if (chunk.sequence() != expected || inBytes != expected) {
                                    failures.add("reader " + reader + " expected " + expected + " got sequence "
                                            + chunk.sequence() + " carrying " + inBytes);
                                    return;
                                }
                                expected++;
                                progress.set(reader, expected);
                            } else if (cursor.streamEnded()) {
                                break;
                            } else if (cursor.laps() > 0) {
                                failures.add("reader " + reader + " was lapped at " + expected);
                                return;
                            } else {
                                cursor.await(100, TimeUnit.MILLISECONDS);
                            }
                        }
                        if (expected != CHUNKS) {
                            failures.add("reader " + reader + " ended after " + expected + " chunks");
                        }
                    } catch (Throwable e) {
                        failures.add("reader " + reader + " failed: " + e);
                    } finally {
                        progress.set(reader, Long.MAX_VALUE); // never hold the writer back once gone
                    }
                }));
            }

            // The test paces the writer on the active readers only (so they are never lapped); the
            // stalled cursor is deliberately not consulted: the ring itself must never wait for it.
            Thread writer = Thread.ofPlatform().name("writer").start(() -> {
                long slowest = 0;
                for (long sequence = 0; sequence < CHUNKS; sequence++) {
                    while (sequence - slowest >= RING / 2) {
                        slowest = min(progress);
                        if (sequence - slowest >= RING / 2) {
                            LockSupport.parkNanos(100_000);
                        }
                    }
                    byte[] data = new byte[64];
                    ByteBuffer.wrap(data).putLong(sequence).putLong(~sequence);
                    ring.publishOwned(data);
                }
                ring.close();
            });

            writer.join();
            for (Thread reader : readers) {
                reader.join();
            }

            assertTrue(failures.isEmpty(), () -> failures.size() + " failures, e.g. " + failures.peek());
            assertEquals(CHUNKS, ring.head());
            for (RingCursor cursor : cursors) {
                assertEquals(0, cursor.laps());
                assertTrue(cursor.streamEnded());
            }

            assertTrue(stalled.lag() > ring.capacity());
            assertNull(stalled.next());
            assertEquals(1, stalled.laps());
            assertEquals(ring.head(), stalled.position());
            assertTrue(stalled.streamEnded());
        });
    }

    private static long min(AtomicLongArray values) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < values.length(); i++) {
            min = Math.min(min, values.get(i));
        }
        return min;
    }
}
