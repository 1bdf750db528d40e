package org.tinyice.application.history;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tinyice.application.history.HistoryEvent.ListenerLeft;
import org.tinyice.application.history.HistoryEvent.MinuteEnded;
import org.tinyice.application.history.HistoryEvent.TitleChanged;
import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;

/**
 * Takes history events from the audio path and writes them through the ports on one thread of its own.
 *
 * <p>The audio path must never wait for a disk: {@link #offer} puts the event in a bounded queue and
 * returns at once. When the queue is full (the disk is slower than the events, or stuck) the event is
 * dropped and {@link #dropped()} goes up; losing a line of history is better than stalling a stream.
 * Writes that fail are counted in {@link #failed()} and logged when a run of failures starts and ends.
 *
 * <p>{@link #close()} refuses new events, lets the writer drain what is queued, and waits at most the
 * close timeout for it; whatever is still queued then is counted as dropped.
 */
public final class HistoryRecorder implements AutoCloseable {

    public static final int DEFAULT_CAPACITY = 10_000;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** How often an idle writer looks whether it was closed. */
    private static final long IDLE_POLL_MILLIS = 100;
    private static final System.Logger LOG = System.getLogger(HistoryRecorder.class.getName());

    private final SongHistory songs;
    private final ListenerStatistics statistics;
    private final ListenerSessions sessions;
    private final BlockingQueue<HistoryEvent> queue;
    private final Duration closeTimeout;
    private final TitleChangeRule titles;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    /** Only the writer thread touches it. */
    private boolean failing;

    private HistoryRecorder(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions,
                            int capacity, Duration closeTimeout) {
        this.songs = Objects.requireNonNull(songs, "songs");
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        if (capacity < 1) {
            throw new IllegalArgumentException("the queue needs room for at least one event: " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
        this.titles = new TitleChangeRule(mount -> songs.recent(mount, 1, Optional.empty()).stream()
                .findFirst().map(SongPlay::title));
        // A platform thread: the writes are blocking native calls into SQLite that would pin a virtual
        // thread's carrier anyway. A daemon, so a forgotten close() cannot keep the JVM alive.
        this.writer = Thread.ofPlatform().name("tinyice-history-writer").daemon(true)
                .unstarted(this::writeUntilClosed);
    }

    /** A running recorder with a queue of {@value #DEFAULT_CAPACITY} events and a 5 s close timeout. */
    public static HistoryRecorder start(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions) {
        return start(songs, statistics, sessions, DEFAULT_CAPACITY, DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * A running recorder; its writer thread runs until {@link #close()}.
     *
     * @param capacity how many events may wait for the writer before new ones are dropped
     * @param closeTimeout how long {@link #close()} waits for the queue to drain
     */
    public static HistoryRecorder start(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions,
                                        int capacity, Duration closeTimeout) {
        HistoryRecorder recorder = new HistoryRecorder(songs, statistics, sessions, capacity, closeTimeout);
        recorder.writer.start();
        return recorder;
    }

    /**
     * Queues {@code event} for the writer without ever waiting.
     *
     * @return false when it was dropped: the queue was full or the recorder is closed
     */
    public boolean offer(HistoryEvent event) {
        Objects.requireNonNull(event, "event");
        if (closing || !queue.offer(event)) {
            dropped.incrementAndGet();
            return false;
        }
        // close() may have begun between the check and the offer, and the writer may already have
        // drained and gone: take the event back rather than leave it queued and uncounted.
        if (closing && queue.remove(event)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Events waiting for the writer now. */
    public int queueDepth() {
        return queue.size();
    }

    /** Events dropped so far: offered while the queue was full or after close, or abandoned by close. */
    public long dropped() {
        return dropped.get();
    }

    /** Events whose write failed so far. */
    public long failed() {
        return failed.get();
    }

    /**
     * Refuses new events, writes those queued, and stops the writer; waits at most the close timeout.
     * Calling it again does nothing more.
     */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
            LOG.log(Level.WARNING, "history writer did not finish within {0}; {1} queued events dropped",
                    closeTimeout, queue.size());
        }
        List<HistoryEvent> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        dropped.addAndGet(abandoned.size());
    }

    private void writeUntilClosed() {
        try {
            while (true) {
                HistoryEvent event = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (event != null) {
                    write(event);
                } else if (closing) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close() stopped waiting for us; it counts what is left in the queue
        }
    }

    private void write(HistoryEvent event) {
        try {
            switch (event) {
                case TitleChanged title -> writeTitle(title);
                case MinuteEnded minute -> statistics.record(minute.sample());
                case ListenerLeft left -> sessions.record(left.session());
            }
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "history writes succeed again after {0} failures in all", failed.get());
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "history write failed; further failures are counted, not logged", e);
            }
        }
    }

    private void writeTitle(TitleChanged event) {
        Optional<String> song = titles.newSong(event.mount(), event.title());
        if (song.isPresent()) {
            songs.record(SongPlay.of(event.mount(), song.get(), event.at(), Math.max(0, event.listeners())));
            titles.recorded(event.mount(), song.get());
        }
    }
}
