package org.tinyice.application.stream;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Server-wide counters shared by the use cases. */
public final class ServerCounters {

    private volatile Instant started;
    private final AtomicInteger listeners = new AtomicInteger();
    private final AtomicInteger sources = new AtomicInteger();
    private final AtomicLong listenerConnections = new AtomicLong();
    private final AtomicLong sourceConnections = new AtomicLong();
    private final AtomicLong listenerAuthFailures = new AtomicLong();
    private final AtomicLong listenerDisconnects = new AtomicLong();
    private final AtomicLong listenerLaps = new AtomicLong();
    private final AtomicLong listenersTooSlow = new AtomicLong();
    private final AtomicLong listenersStalled = new AtomicLong();

    public ServerCounters(Instant started) {
        this.started = started;
    }

    public Instant started() {
        return started;
    }

    /**
     * Goes on from the counters of the process this one took over from: uptime counts from its start,
     * and the connection totals include its.
     */
    public void continueFrom(Instant started, long listenerConnections, long sourceConnections) {
        this.started = started;
        this.listenerConnections.addAndGet(listenerConnections);
        this.sourceConnections.addAndGet(sourceConnections);
    }

    public int listeners() {
        return listeners.get();
    }

    public int sources() {
        return sources.get();
    }

    /** Listeners admitted since start (Icecast's {@code listener_connections}). */
    public long listenerConnections() {
        return listenerConnections.get();
    }

    /** Sources admitted since start (Icecast's {@code source_client_connections}). */
    public long sourceConnections() {
        return sourceConnections.get();
    }

    /** Listeners refused by a mount's listener authentication since start. */
    public long listenerAuthFailures() {
        return listenerAuthFailures.get();
    }

    /** Listeners that left since start. */
    public long listenerDisconnects() {
        return listenerDisconnects.get();
    }

    /** Times a listener fell a whole ring behind and skipped to the live edge, since start. */
    public long listenerLaps() {
        return listenerLaps.get();
    }

    /** Listeners dropped for lapping too often, since start. */
    public long listenersTooSlow() {
        return listenersTooSlow.get();
    }

    /** Listeners closed because a write blocked past the stall limit (they stopped reading), since start. */
    public long listenersStalled() {
        return listenersStalled.get();
    }

    void listenerLapped() {
        listenerLaps.incrementAndGet();
    }

    void listenerTooSlow() {
        listenersTooSlow.incrementAndGet();
    }

    void listenerStalled() {
        listenersStalled.incrementAndGet();
    }

    void listenerAuthFailed() {
        listenerAuthFailures.incrementAndGet();
    }

    void listenerLeft() {
        listenerDisconnects.incrementAndGet();
        listeners.decrementAndGet();
    }

    void listenerConnected() {
        listenerConnections.incrementAndGet();
    }

    void sourceConnected() {
        sourceConnections.incrementAndGet();
    }

    /** Takes a place if fewer than {@code max} are used (0: no limit). */
    boolean tryAddListener(int max) {
        return tryIncrement(listeners, max);
    }

    /** Whether {@link #tryAddListener} would succeed now (it may not a moment later). */
    boolean hasRoomForListener(int max) {
        return !isFull(listeners.get(), max);
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

    private static boolean isFull(int count, int max) {
        return max > 0 && count >= max;
    }

    private static boolean tryIncrement(AtomicInteger counter, int max) {
        while (true) {
            int now = counter.get();
            if (isFull(now, max)) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
