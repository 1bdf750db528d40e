package org.tinyice.application.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.history.HistoryEvent.ListenerLeft;
import org.tinyice.application.history.HistoryEvent.MinuteEnded;
import org.tinyice.application.history.HistoryEvent.TitleChanged;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.MinuteSample;
import org.tinyice.application.port.out.SongPlay;
import org.tinyice.application.port.out.StorageUnavailableException;
import org.tinyice.application.health.Faults;

class HistoryRecorderTest {

    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final CountDownLatch writerEntered = new CountDownLatch(1);
    private final CountDownLatch releaseWriter = new CountDownLatch(1);
    private volatile boolean stall;
    private volatile boolean fail;
    private volatile boolean unavailable;
    private final Faults faults = new Faults(java.time.Clock.systemUTC());

    private final FakeHistoryPorts ports = new FakeHistoryPorts() {
        @Override
        void beforeWrite() {
            if (fail) {
                throw new IllegalStateException("disk full");
            }
            if (unavailable) {
                throw new StorageUnavailableException("database is locked", null);
            }
            if (stall) {
                writerEntered.countDown();
                try {
                    releaseWriter.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    };
    private HistoryRecorder recorder;

    private HistoryRecorder start(int capacity, Duration closeTimeout) {
        recorder = HistoryRecorder.start(ports.songHistory, ports.listenerStatistics, ports.listenerSessions,
                capacity, closeTimeout, faults);
        return recorder;
    }

    @AfterEach
    void stop() {
        releaseWriter.countDown();
        if (recorder != null) {
            recorder.close();
        }
    }

    private static TitleChanged title(String mount, String title) {
        return new TitleChanged(mount, title, NOON, 3);
    }

    /** Offers every title to /live, then closes the recorder so all of them have been written. */
    private List<String> recordedTitles(String... titles) {
        HistoryRecorder recorder = start(100, BOUND);
        for (String t : titles) {
            assertTrue(recorder.offer(title("/live", t)));
        }
        recorder.close();
        return ports.titles();
    }

    @Test
    void recordsAChangedTitleAsASongPlay() {
        HistoryRecorder recorder = start(100, BOUND);

        recorder.offer(new TitleChanged("/live", "  Daft Punk - One More Time ", NOON, 12));
        recorder.close();

        assertEquals(List.of(new SongPlay("/live", "Daft Punk - One More Time", Optional.of("Daft Punk"),
                Optional.of("One More Time"), NOON, 12)), ports.plays);
    }

    @Test
    void aRepeatedTitleIsRecordedOnce() {
        assertEquals(List.of("A"), recordedTitles("A", "A", " A ", "A"));
    }

    @Test
    void aTitleThatComesBackAfterAnotherIsANewPlay() {
        assertEquals(List.of("A", "B", "A"), recordedTitles("A", "B", "A"));
    }

    @Test
    void placeholdersAreNotRecordedAndDoNotBreakARun() {
        assertEquals(List.of("A", "B"), recordedTitles("", "-", "A", " - ", "Unknown", "A", "untitled", "B"));
    }

    @Test
    void eachMountHasItsOwnLastTitle() {
        HistoryRecorder recorder = start(100, BOUND);

        recorder.offer(title("/live", "A"));
        recorder.offer(title("/other", "A"));
        recorder.offer(title("/live", "A"));
        recorder.close();

        assertEquals(List.of("/live", "/other"), ports.plays.stream().map(SongPlay::mount).toList());
    }

    @Test
    void theTitleTheStoreLastRecordedIsNotRecordedAgainAfterARestart() {
        ports.plays.add(SongPlay.of("/live", "A", NOON.minusSeconds(60), 1));

        assertEquals(List.of("A", "B"), recordedTitles("A", "B"));
    }

    @Test
    void aNegativeListenerCountIsRecordedAsNone() {
        HistoryRecorder recorder = start(100, BOUND);

        recorder.offer(new TitleChanged("/live", "A", NOON, -1));
        recorder.close();

        assertEquals(0, ports.plays.getFirst().listenersAtStart());
    }

    @Test
    void writesSamplesAndSessions() {
        HistoryRecorder recorder = start(100, BOUND);
        MinuteSample sample = new MinuteSample("/live", NOON, 4, 6, 1_000, 4_000);
        ListenerSession session = new ListenerSession("/live", NOON, Duration.ofSeconds(90), 1_000, "mpv",
                Optional.empty());

        recorder.offer(new MinuteEnded(sample));
        recorder.offer(new ListenerLeft(session));
        recorder.close();

        assertEquals(List.of(sample), ports.minutes);
        assertEquals(List.of(session), ports.sessions);
    }

    @Test
    void listenersLeavingTogetherAreWrittenTogetherInOrderAndInBoundedCrowds() throws Exception {
        stall = true;
        HistoryRecorder recorder = start(2_000, BOUND);
        recorder.offer(title("/live", "taken by the writer"));
        assertTrue(writerEntered.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < 1_200; i++) {
            assertTrue(recorder.offer(new ListenerLeft(visit("crowd " + i))));
        }
        recorder.offer(title("/live", "between the crowds"));
        for (int i = 0; i < 3; i++) {
            recorder.offer(new ListenerLeft(visit("later " + i)));
        }

        stall = false;
        releaseWriter.countDown();
        recorder.close();

        assertEquals(List.of("sessions.recordAll 500", "sessions.recordAll 500", "sessions.recordAll 200",
                "sessions.recordAll 3"), ports.calls);
        assertEquals(List.of("taken by the writer", "between the crowds"), ports.titles());
        assertEquals("crowd 0", ports.sessions.getFirst().userAgent());
        assertEquals("crowd 1199", ports.sessions.get(1_199).userAgent());
        assertEquals("later 2", ports.sessions.getLast().userAgent());
    }

    @Test
    void aCrowdTheStoreCannotTakeWaitsWholeAndCountsAsWaiting() throws Exception {
        unavailable = true;
        HistoryRecorder recorder = start(100, BOUND);
        for (int i = 0; i < 7; i++) {
            recorder.offer(new ListenerLeft(visit("visit " + i)));
        }
        waitUntil(() -> faults.failing(HistoryRecorder.PART) && recorder.queueDepth() == 7);

        unavailable = false;
        waitUntil(() -> recorder.queueDepth() == 0);

        assertEquals(7, ports.sessions.size());
        assertEquals(0, recorder.dropped());
    }

    @Test
    void aCrowdTheStoreRefusesCountsEachVisitAsFailed() {
        fail = true;
        HistoryRecorder recorder = start(100, BOUND);
        for (int i = 0; i < 4; i++) {
            recorder.offer(new ListenerLeft(visit("visit " + i)));
        }
        waitUntil(() -> recorder.queueDepth() == 0 && recorder.failed() > 0);
        recorder.close();

        assertEquals(4, recorder.failed());
        assertEquals(List.of(), ports.sessions);
    }

    private static ListenerSession visit(String userAgent) {
        return new ListenerSession("/live", NOON, Duration.ofSeconds(30), 480_000, userAgent, Optional.empty());
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        stall = true;
        HistoryRecorder recorder = start(5, BOUND);
        recorder.offer(title("/live", "taken by the writer"));
        assertTrue(writerEntered.await(BOUND.toSeconds(), TimeUnit.SECONDS));

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 0; i < 5; i++) {
                assertTrue(recorder.offer(title("/live", "queued " + i)));
            }
            for (int i = 0; i < 1_000; i++) {
                assertFalse(recorder.offer(title("/live", "dropped " + i)));
            }
        });

        assertEquals(5, recorder.queueDepth());
        assertEquals(1_000, recorder.dropped());

        releaseWriter.countDown();
        recorder.close();
        assertEquals(6, ports.plays.size());
        assertEquals(0, recorder.queueDepth());
        assertEquals(1_000, recorder.dropped());
    }

    @Test
    void closeWritesEverythingQueued() {
        HistoryRecorder recorder = start(10_000, BOUND);
        for (int i = 0; i < 2_000; i++) {
            recorder.offer(title("/live", "song " + i));
        }

        recorder.close();

        assertEquals(2_000, ports.plays.size());
        assertEquals("song 1999", ports.plays.getLast().title());
        assertEquals(0, recorder.dropped());
    }

    @Test
    void closeGivesUpAfterItsTimeoutAndCountsWhatIsLeft() throws Exception {
        stall = true;
        HistoryRecorder recorder = start(100, Duration.ofMillis(200));
        recorder.offer(title("/live", "stuck"));
        assertTrue(writerEntered.await(BOUND.toSeconds(), TimeUnit.SECONDS));
        for (int i = 0; i < 10; i++) {
            recorder.offer(title("/live", "waiting " + i));
        }

        long start = System.nanoTime();
        recorder.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "close took " + took);
        assertEquals(10, recorder.dropped());
        assertEquals(0, recorder.queueDepth());
    }

    @Test
    void offersAfterCloseAreDropped() {
        HistoryRecorder recorder = start(100, BOUND);
        recorder.close();

        assertFalse(recorder.offer(title("/live", "too late")));

        assertEquals(1, recorder.dropped());
        assertEquals(List.of(), ports.plays);
        recorder.close();
    }

    @Test
    void aFailingWriteIsCountedAndTheWriterGoesOn() {
        fail = true;
        HistoryRecorder recorder = start(100, BOUND);
        recorder.offer(title("/live", "lost"));
        recorder.offer(new MinuteEnded(new MinuteSample("/live", NOON, 1, 1, 1, 1)));
        waitUntil(() -> recorder.failed() == 2);

        fail = false;
        recorder.offer(title("/live", "lost"));
        recorder.close();

        assertEquals(2, recorder.failed());
        assertEquals(List.of("lost"), ports.titles(), "a title that failed is not remembered as recorded");
    }

    @Test
    void whileTheStoreIsUnavailableEventsWaitInOrderAndAreWrittenWhenItComesBack() {
        unavailable = true;
        HistoryRecorder recorder = start(100, BOUND);
        recorder.offer(title("/live", "first"));
        recorder.offer(title("/live", "second"));
        recorder.offer(new ListenerLeft(new ListenerSession("/live", NOON, Duration.ofSeconds(60), 1000, "ua", Optional.empty())));
        waitUntil(() -> faults.failing(HistoryRecorder.PART));
        assertEquals(3, recorder.queueDepth(), "the event being tried counts as waiting");
        assertEquals(List.of(), ports.titles());

        unavailable = false;
        waitUntil(() -> recorder.queueDepth() == 0);

        assertEquals(List.of("first", "second"), ports.titles());
        assertEquals(1, ports.sessions.size());
        assertEquals(0, recorder.failed());
        assertEquals(0, recorder.dropped());
        assertFalse(faults.failing(HistoryRecorder.PART), "the fault clears by itself");
    }

    @Test
    void aLongOutageFillsTheQueueAndOnlyNewerEventsAreDropped() {
        unavailable = true;
        HistoryRecorder recorder = start(2, BOUND);
        recorder.offer(title("/live", "held"));
        waitUntil(() -> faults.failing(HistoryRecorder.PART));
        assertTrue(recorder.offer(title("/live", "queued 1")));
        assertTrue(recorder.offer(title("/live", "queued 2")));
        assertFalse(recorder.offer(title("/live", "dropped")), "past the bound new events are dropped");

        unavailable = false;
        recorder.close();

        assertEquals(List.of("held", "queued 1", "queued 2"), ports.titles());
        assertEquals(1, recorder.dropped());
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + BOUND);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
