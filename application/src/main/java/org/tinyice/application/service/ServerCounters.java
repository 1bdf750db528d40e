package org.tinyice.application.service;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Server-wide counters shared by the use cases. */
public final class ServerCounters {

    private final Instant started;
    private final AtomicInteger listeners = new AtomicInteger();
    private final AtomicInteger sources = new AtomicInteger();

    public ServerCounters(Instant started) {
        this.started = started;
    }

    public Instant started() {
        return started;
    }

    public int listeners() {
        return listeners.get();
    }

    public int sources() {
        return sources.get();
    }

    /** Takes a place if fewer than {@code max} are used (0: no limit). */
    boolean tryAddListener(int max) {
        return tryIncrement(listeners, max);
    }

    void removeListener() {
        listeners.decrementAndGet();
    }

    boolean tryAddSource(int max) {
        return tryIncrement(sources, max);
    }

    void removeSource() {
        sources.decrementAndGet();
    }

    private static boolean tryIncrement(AtomicInteger counter, int max) {
        while (true) {
            int now = counter.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
