package org.tinyice.adapters.http.observe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the connection and listener write paths see and the application does not: laps, the two kinds
 * of drop, and connections refused because their address held too many.
 */
public final class StreamCounters {

    private final AtomicLong laps = new AtomicLong();
    private final AtomicLong droppedTooSlow = new AtomicLong();
    private final AtomicLong droppedStalled = new AtomicLong();
    private final AtomicLong refusedPerAddress = new AtomicLong();

    /** A listener fell a whole ring behind and skipped to the live edge. */
    public void lapped() {
        laps.incrementAndGet();
    }

    /** A listener was dropped after lapping too often. */
    public void droppedTooSlow() {
        droppedTooSlow.incrementAndGet();
    }

    /** A listener's write blocked past the stall limit (it stopped reading) and it was closed. */
    public void droppedStalled() {
        droppedStalled.incrementAndGet();
    }

    /** A connection was closed at accept: its address already held {@code limits.max_connections_per_address}. */
    public void refusedPerAddress() {
        refusedPerAddress.incrementAndGet();
    }

    public long laps() {
        return laps.get();
    }

    public long droppedTooSlowCount() {
        return droppedTooSlow.get();
    }

    public long droppedStalledCount() {
        return droppedStalled.get();
    }

    public long refusedPerAddressCount() {
        return refusedPerAddress.get();
    }
}
