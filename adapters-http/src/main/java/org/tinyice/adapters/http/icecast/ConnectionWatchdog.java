package org.tinyice.adapters.http.icecast;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One thread that enforces the deadlines of connections on Helidon's virtual threads: a request head
 * that never finishes (slowloris), a source that goes silent, a response head a client does not take.
 * Blocking socket calls have no timeout of their own, so the watchdog closes the socket, which makes the
 * blocked call fail at once. (Streaming listeners belong to the write engine, which notices a stalled
 * one itself: {@code fanout.WriterLoop}.)
 *
 * <p>Each connection arms a volatile deadline before a call that may block and disarms it after:
 * two volatile writes per write, instead of a timer task per write (which a profile of a prototype
 * showed as a large share of CPU at 20,000 listeners).
 */
final class ConnectionWatchdog implements AutoCloseable {

    private static final long NONE = Long.MIN_VALUE;

    private final Set<Deadline> deadlines = ConcurrentHashMap.newKeySet();
    private final Set<Deadline> ticking = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    /**
     * @param deadlineMillis how often deadlines are checked (they are seconds long: a coarse sweep will do,
     *                       and at 10,000 listeners a 100 ms sweep showed up as 3 % of CPU samples)
     * @param tickMillis     how often the few ticking connections (sources) run their task
     */
    ConnectionWatchdog(long deadlineMillis, long tickMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tinyice-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sweep, deadlineMillis, deadlineMillis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (Deadline deadline : ticking) {
            Runnable task = deadline.tick;
            if (task != null) {
                try {
                    task.run();
                } catch (RuntimeException ignored) {
                    // a tick must never stop the others
                }
            }
        }
    }

    /** A deadline for one connection; {@code onExpiry} closes it. Unregister with {@link Deadline#close()}. */
    Deadline register(Runnable onExpiry) {
        Deadline deadline = new Deadline(onExpiry);
        deadlines.add(deadline);
        return deadline;
    }

    int watched() {
        return deadlines.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Deadline deadline : deadlines) {
            long at = deadline.at;
            if (at != NONE && now - at > 0) {
                deadline.at = NONE;
                deadline.fired = true;
                try {
                    deadline.onExpiry.run();
                } catch (RuntimeException ignored) {
                    // closing a socket that is already gone
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    final class Deadline implements AutoCloseable {
        private final Runnable onExpiry;
        private volatile long at = NONE;
        private volatile Runnable tick;
        private volatile boolean fired;

        private Deadline(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }

        /** Expire {@code nanos} from now unless re-armed or disarmed first (hot path: one volatile write). */
        void arm(long nanos) {
            at = System.nanoTime() + nanos;
        }

        void disarm() {
            at = NONE;
        }

        /** Whether this deadline ever expired (and so closed its connection). */
        boolean fired() {
            return fired;
        }

        /** Runs {@code task} on every sweep (a few times a second) until cleared with null. */
        void tick(Runnable task) {
            tick = task;
            if (task != null) {
                ticking.add(this);
            } else {
                ticking.remove(this);
            }
        }

        @Override
        public void close() {
            ticking.remove(this);
            deadlines.remove(this);
        }
    }
}
