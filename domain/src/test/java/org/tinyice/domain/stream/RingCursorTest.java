package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RingCursorTest {

    private static final Duration GUARD = Duration.ofSeconds(30);

    private static void publish(StreamRing ring, int count) {
        for (int i = 0; i < count; i++) {
            ring.publishOwned(new byte[] {(byte) ring.head()});
        }
    }

    @Test
    void readsChunksInOrderThenReturnsNullWhenCaughtUp() {
        StreamRing ring = new StreamRing(8);
        RingCursor cursor = new RingCursor(ring, 0);
        assertNull(cursor.next());
        publish(ring, 3);

        assertEquals(0, cursor.next().sequence());
        assertEquals(1, cursor.next().sequence());
        assertEquals(2, cursor.next().sequence());
        assertNull(cursor.next());
        assertEquals(3, cursor.position());
        assertEquals(0, cursor.laps());

        publish(ring, 1);
        assertEquals(3, cursor.next().sequence());
    }

    @Test
    void startsAtTheGivenPosition() {
        StreamRing ring = new StreamRing(8);
        publish(ring, 5);
        RingCursor cursor = new RingCursor(ring, 3);
        assertEquals(3, cursor.next().sequence());
        assertEquals(4, cursor.next().sequence());
        assertNull(cursor.next());
    }

    @Test
    void lagAndCaughtUpFollowTheWriter() {
        StreamRing ring = new StreamRing(8);
        RingCursor cursor = new RingCursor(ring, 0);
        assertTrue(cursor.caughtUp());
        assertEquals(0, cursor.lag());
        publish(ring, 3);
        assertFalse(cursor.caughtUp());
        assertEquals(3, cursor.lag());
        cursor.next();
        assertEquals(2, cursor.lag());
    }

    @Test
    void withBurstStartsFarEnoughBackToCoverTheBurst() {
        StreamRing ring = new StreamRing(16);
        for (int i = 0; i < 10; i++) {
            ring.publishOwned(new byte[100]);
        }
        RingCursor cursor = RingCursor.withBurst(ring, 250);
        assertEquals(7, cursor.position());
        assertEquals(3, cursor.lag());
        assertEquals(ring.head(), RingCursor.withBurst(ring, 0).position());
    }

    @Test
    void aCursorExactlyOneRingBehindCanStillReadEverything() {
        StreamRing ring = new StreamRing(4);
        RingCursor cursor = new RingCursor(ring, 0);
        publish(ring, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(i, cursor.next().sequence());
        }
        assertEquals(0, cursor.laps());
    }

    @Test
    void aCursorMoreThanOneRingBehindIsLappedAndSkipsToTheLiveEdge() {
        StreamRing ring = new StreamRing(4);
        RingCursor cursor = new RingCursor(ring, 0);
        publish(ring, 5);

        assertNull(cursor.next(), "the lap itself yields nothing");
        assertEquals(1, cursor.laps());
        assertEquals(ring.head(), cursor.position());
        assertTrue(cursor.caughtUp());

        publish(ring, 1);
        Chunk chunk = cursor.next();
        assertNotNull(chunk);
        assertEquals(5, chunk.sequence());
        assertEquals(1, cursor.laps());
    }

    @Test
    void lapsAccumulate() {
        StreamRing ring = new StreamRing(2);
        RingCursor cursor = new RingCursor(ring, 0);
        publish(ring, 3);
        assertNull(cursor.next());
        publish(ring, 10);
        assertNull(cursor.next());
        assertEquals(2, cursor.laps());
        assertEquals(13, cursor.position());
    }

    @Test
    void awaitReturnsTrueWhenThereIsSomethingToRead() throws InterruptedException {
        StreamRing ring = new StreamRing(4);
        RingCursor cursor = new RingCursor(ring, 0);
        publish(ring, 1);
        assertTrue(cursor.await(0, TimeUnit.NANOSECONDS));
    }

    @Test
    void awaitReturnsFalseOnTimeoutWhenCaughtUp() {
        StreamRing ring = new StreamRing(4);
        RingCursor cursor = new RingCursor(ring, 0);
        publish(ring, 1);
        cursor.next();
        assertTimeoutPreemptively(GUARD, () -> assertFalse(cursor.await(20, TimeUnit.MILLISECONDS)));
    }

    @Test
    void awaitWakesWhenTheWriterPublishes() {
        StreamRing ring = new StreamRing(4);
        RingCursor cursor = new RingCursor(ring, 0);
        assertTimeoutPreemptively(GUARD, () -> {
            CompletableFuture<Chunk> read = new CompletableFuture<>();
            Thread listener = Thread.ofVirtual().start(() -> {
                try {
                    cursor.await(10, TimeUnit.MINUTES);
                    read.complete(cursor.next());
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
            while (listener.getState() != Thread.State.TIMED_WAITING && listener.isAlive()) {
                Thread.yield();
            }
            ring.publishOwned(new byte[] {42});
            Chunk chunk = read.get();
            assertNotNull(chunk);
            assertEquals(42, chunk.bytes()[0]);
        });
    }

    @Test
    void streamEndsOnlyAfterTheCursorHasDrainedAClosedRing() {
        StreamRing ring = new StreamRing(8);
        RingCursor cursor = new RingCursor(ring, 0);
        publish(ring, 2);
        assertFalse(cursor.streamEnded());
        ring.close();
        assertFalse(cursor.streamEnded(), "two chunks are still unread");
        assertNotNull(cursor.next());
        assertFalse(cursor.streamEnded());
        assertNotNull(cursor.next());
        assertTrue(cursor.streamEnded());
        assertNull(cursor.next());
    }

    @Test
    void closeWakesAWaitingCursorWhichThenSeesTheEnd() {
        StreamRing ring = new StreamRing(4);
        RingCursor cursor = new RingCursor(ring, 0);
        assertTimeoutPreemptively(GUARD, () -> {
            CompletableFuture<Boolean> ended = new CompletableFuture<>();
            Thread listener = Thread.ofVirtual().start(() -> {
                try {
                    boolean data = cursor.await(10, TimeUnit.MINUTES);
                    ended.complete(!data && cursor.streamEnded());
                } catch (Throwable e) {
                    ended.completeExceptionally(e);
                }
            });
            while (listener.getState() != Thread.State.TIMED_WAITING && listener.isAlive()) {
                Thread.yield();
            }
            ring.close();
            assertTrue(ended.get());
        });
    }

    @Test
    void aCallbackWaiterIsCalledOnceOnThePublishingThreadAndAgainOnlyWhenAskedAgain() {
        StreamRing ring = new StreamRing(8);
        RingCursor cursor = new RingCursor(ring, 0);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Runnable wake = calls::incrementAndGet;

        assertTrue(cursor.wakeWhenReadable(wake), "nothing to read: waiting");
        assertTrue(cursor.wakeWhenReadable(wake), "asked twice, registered once");
        publish(ring, 1);
        assertEquals(1, calls.get());
        publish(ring, 1);
        assertEquals(1, calls.get(), "one call per registration");

        assertFalse(cursor.wakeWhenReadable(wake), "something to read: read now instead");
        cursor.next();
        cursor.next();
        assertTrue(cursor.wakeWhenReadable(wake));
        ring.nudge();
        assertEquals(2, calls.get(), "a nudge (a move, a kick) calls it too");
        assertTrue(cursor.wakeWhenReadable(wake));
        ring.close();
        assertEquals(3, calls.get(), "the end of the stream too");
        assertFalse(cursor.wakeWhenReadable(wake), "closed: nothing to wait for");
    }

    @Test
    void aFailingCallbackNeverStopsThePublisherOrTheOtherReaders() {
        StreamRing ring = new StreamRing(8);
        RingCursor failing = new RingCursor(ring, 0);
        RingCursor other = new RingCursor(ring, 0);
        java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();
        failing.wakeWhenReadable(() -> {
            throw new IllegalStateException("a broken reader");
        });
        other.wakeWhenReadable(() -> woken.set(true));

        publish(ring, 1);

        assertTrue(woken.get());
        assertEquals(1, ring.head());
    }

    @Test
    void groupedCallbacksAllRunBeforeTheirGroupIsWokenOncePerPublish() {
        StreamRing ring = new StreamRing(8);
        java.util.List<String> happened = new java.util.ArrayList<>();
        Runnable writerA = () -> happened.add("wake A");
        Runnable writerB = () -> happened.add("wake B");
        java.util.List<RingCursor> cursors = new java.util.ArrayList<>();
        java.util.List<Runnable> callbacks = new java.util.ArrayList<>();
        for (String name : java.util.List.of("a1", "b1", "a2", "a3")) {
            Runnable group = name.startsWith("a") ? writerA : writerB;
            cursors.add(new RingCursor(ring, 0));
            callbacks.add(new StreamRing.GroupedCallback() {
                @Override
                public void run() {
                    happened.add(name);
                }

                @Override
                public Runnable group() {
                    return group;
                }
            });
        }
        for (int i = 0; i < cursors.size(); i++) {
            assertTrue(cursors.get(i).wakeWhenReadable(callbacks.get(i)));
        }

        publish(ring, 1);

        assertEquals(6, happened.size(), happened.toString());
        assertEquals(java.util.Set.of("a1", "b1", "a2", "a3"), java.util.Set.copyOf(happened.subList(0, 4)),
                "every listener is queued before any writer is woken: " + happened);
        assertEquals(java.util.Set.of("wake A", "wake B"), java.util.Set.copyOf(happened.subList(4, 6)),
                "each writer is woken once: " + happened);
    }

    @Test
    void aBurstOfAgeStartsAtTheChunksOfTheLastStretchAndAlwaysGivesTheNewest() throws Exception {
        StreamRing ring = new StreamRing(16);
        publish(ring, 4);
        Thread.sleep(300);
        publish(ring, 3);

        assertEquals(4, RingCursor.withBurstOfAge(ring, TimeUnit.MILLISECONDS.toNanos(150)).position(),
                "only the chunks of the last 150 ms");
        assertEquals(0, RingCursor.withBurstOfAge(ring, TimeUnit.SECONDS.toNanos(10)).position(), "all it has");
        Thread.sleep(200);
        assertEquals(6, RingCursor.withBurstOfAge(ring, TimeUnit.MILLISECONDS.toNanos(50)).position(),
                "nothing that recent: the newest chunk, so a player starts at once");
        assertEquals(0, RingCursor.withBurstOfAge(new StreamRing(4), 1).position(), "an empty ring: live");
    }
}
