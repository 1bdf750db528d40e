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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.tinyice.application.health.Faults;
import org.tinyice.application.history.HistoryEvent.ListenerLeft;
import org.tinyice.application.history.HistoryEvent.MinuteEnded;
import org.tinyice.application.history.HistoryEvent.TitleChanged;
import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;
import org.tinyice.application.port.out.StorageUnavailableException;

/**
 * Takes history events from the audio path and writes them through the ports on one thread of its own.
 *
 * <p>The audio path must never wait for a disk: {@link #offer} puts the event in a bounded queue and
 * returns at once. When the queue is full (the disk is slower than the events, or stuck) the event is
 * dropped and {@link #dropped()} goes up; losing a line of history is better than stalling a stream.
 *
 * <p>Listener visits queued one behind another are written together ({@link ListenerSessions#recordAll}, at
 * most {@value #MAX_VISITS_PER_WRITE} at once): listeners leave in crowds, and thousands of single inserts
 * would take the CPU their neighbours' streams need. Everything else is written one event at a time.
 *
 * <p>A write the store cannot take for now ({@link StorageUnavailableException}: the disk is full, another
 * process locks the database, the data directory is gone) is not lost: the writer keeps that event (or
 * crowd) and tries it again, first after {@value #FIRST_RETRY_MILLIS} ms and then less often, up to every
 * {@value #MAX_RETRY_MILLIS} ms, while new events wait behind it in the queue. So everything queued is
 * written, in order, once the fault clears, and the queue's capacity ({@value #DEFAULT_CAPACITY} events by
 * default: each song change, minute sample of a mount and listener visit is one, so hours of a busy
 * station's history in a few megabytes of memory) bounds what a long fault holds; past it, new events are dropped as above. The fault shows on
 * the {@link Faults} board under {@value #PART} and is logged once when it starts and once when it ends.
 * Any other failure means the store refuses that event (or crowd): each is counted in {@link #failed()}, logged when a
 * run of such failures starts and ends, and not tried again.
 *
 * <p>{@link #close()} refuses new events, lets the writer drain what is queued, and waits at most the
 * close timeout for it; whatever is still queued then is counted as dropped.
 */
public final class HistoryRecorder implements AutoCloseable {

    public static final int DEFAULT_CAPACITY = 10_000;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The name of the history's fault on the {@link Faults} board. */
    public static final String PART = "history database";
    static final long FIRST_RETRY_MILLIS = 250;
    static final long MAX_RETRY_MILLIS = 5_000;

    /** The most listener visits written at once (one transaction); a crowd larger than that is several. */
    static final int MAX_VISITS_PER_WRITE = 500;
    /**
     * How long an idle writer sleeps when nothing wakes it: {@link #offer} and {@link #close} do, so this
     * is only a safety net. (A 100 ms poll for {@code closing} was ten wake-ups a second of an idle
     * server: 0.07 % of a core on this kind of machine.)
     */
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger(HistoryRecorder.class.getName());

    private final SongHistory songs;
    private final ListenerStatistics statistics;
    private final ListenerSessions sessions;
    private final BlockingQueue<HistoryEvent> queue;
    private final Duration closeTimeout;
    private final TitleChangeRule titles;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean droppingLogged = new AtomicBoolean();
    private final Faults faults;
    private final int capacity;
    private final Thread writer;
    private volatile boolean closing;
    /** Only the writer thread touches it. */
    private boolean failing;
    /** The events the writer holds while the store is unavailable; counted in {@link #queueDepth()}. */
    private volatile int held;

    private HistoryRecorder(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions,
                            int capacity, Duration closeTimeout, Faults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.songs = Objects.requireNonNull(songs, "songs");
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        if (capacity < 1) {
            throw new IllegalArgumentException("the queue needs room for at least one event: " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
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
        return start(songs, statistics, sessions, capacity, closeTimeout, new Faults(java.time.Clock.systemUTC()));
    }

    /** A running recorder that shows an unavailable store on {@code faults}. */
    public static HistoryRecorder start(SongHistory songs, ListenerStatistics statistics, ListenerSessions sessions,
                                        int capacity, Duration closeTimeout, Faults faults) {
        HistoryRecorder recorder = new HistoryRecorder(songs, statistics, sessions, capacity, closeTimeout, faults);
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
            if (!closing && droppingLogged.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "the history queue is full ({0} events wait for the database); newer events"
                        + " are dropped and counted in tinyice_history_dropped, not logged", queue.size());
            }
            return false;
        }
        // close() may have begun between the check and the offer, and the writer may already have
        // drained and gone: take the event back rather than leave it queued and uncounted.
        if (closing && queue.remove(event)) {
            dropped.incrementAndGet();
            return false;
        }
        LockSupport.unpark(writer); // a permit if it is not parked yet: its next park returns at once
        return true;
    }

    /** Events waiting for the writer now. */
    public int queueDepth() {
        return queue.size() + held;
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
        LockSupport.unpark(writer);
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
                if (Thread.interrupted()) {
                    throw new InterruptedException(); // close() gave up on us: what is queued stays its to count
                }
                HistoryEvent event = queue.poll();
                if (event instanceof ListenerLeft left) {
                    writeKeeping(visitsFrom(left));
                } else if (event != null) {
                    writeKeeping(List.of(event));
                } else if (closing) {
                    return;
                } else {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
            }
        } catch (InterruptedException e) {
            // close() stopped waiting for us; it counts what is left in the queue, and this the held events
            dropped.addAndGet(held);
        }
    }

    /**
     * {@code first} and the listener visits queued right behind it (up to {@value #MAX_VISITS_PER_WRITE}):
     * listeners leave in crowds, and a crowd is one write. Only this thread takes from the queue, so what
     * it peeks at is what it then takes.
     */
    private List<HistoryEvent> visitsFrom(ListenerLeft first) {
        List<HistoryEvent> visits = new ArrayList<>();
        visits.add(first);
        while (visits.size() < MAX_VISITS_PER_WRITE && queue.peek() instanceof ListenerLeft) {
            visits.add(queue.poll());
        }
        return visits;
    }

    /**
     * Writes {@code events} (one event, or a crowd of listener visits written together), trying again for as
     * long as the store is unavailable (until close gives up).
     */
    private void writeKeeping(List<HistoryEvent> events) throws InterruptedException {
        long delay = FIRST_RETRY_MILLIS;
        while (true) {
            try {
                write(events);
                if (held > 0) {
                    held = 0;
                    faults.cleared(PART);
                    droppingLogged.set(false);
                }
                return;
            } catch (StorageUnavailableException e) {
                held = events.size();
                faults.failed(PART, e.getMessage() + " (history waits in memory, up to " + capacity + " events)", e);
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_RETRY_MILLIS);
            }
        }
    }

    private void write(List<HistoryEvent> events) {
        try {
            switch (events.getFirst()) {
                case TitleChanged title -> writeTitle(title);
                case MinuteEnded minute -> statistics.record(minute.sample());
                case ListenerLeft left -> sessions.recordAll(events.stream()
                        .map(visit -> ((ListenerLeft) visit).session()).toList());
            }
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "history writes succeed again after {0} failures in all", failed.get());
            }
        } catch (StorageUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            failed.addAndGet(events.size());
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
