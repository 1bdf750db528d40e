package org.tinyice.domain.stream;

import java.util.concurrent.TimeUnit;

/**
 * One listener's read position in a {@link StreamRing}. Not thread-safe: one listener, one thread.
 *
 * <p>"Loss is not an error condition" (Agrona): when the writer has overwritten the chunk this
 * cursor wanted, the cursor jumps to the live edge and counts a lap; the listener hears a skip
 * instead of holding everybody back. The caller decides when too many laps mean "drop".
 */
public final class RingCursor {

    private final StreamRing ring;
    private long next;
    private int laps;
    private StreamRing.Waiter waiter;

    public RingCursor(StreamRing ring, long start) {
        this.ring = ring;
        this.next = start;
    }

    /** A cursor that starts with about {@code burstBytes} of history (instant start). */
    public static RingCursor withBurst(StreamRing ring, int burstBytes) {
        return new RingCursor(ring, ring.burstStart(burstBytes));
    }

    /**
     * The next chunk, or {@code null} when this cursor has caught up with the writer. If the chunk
     * it wanted is gone, the cursor skips to the live edge, {@link #laps()} grows by one, and this
     * returns {@code null}.
     */
    public Chunk next() {
        long head = ring.head();
        if (next >= head) {
            return null;
        }
        Chunk chunk = head - next > ring.capacity() ? null : ring.slot(next);
        if (chunk == null || chunk.sequence() != next) {
            laps++;
            next = head;
            return null;
        }
        next++;
        return chunk;
    }

    /** Waits until there is something to read, the stream ends, or the timeout passes. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return ring.awaitPublished(next, timeout, unit);
    }

    /**
     * Waits, without a timeout and without allocating, until there is something to read, the stream
     * ends, or the ring is nudged (a move request). A timed wait costs a timer task per wait, which
     * a profile showed as half of all allocation with many listeners.
     */
    public boolean await() throws InterruptedException {
        if (waiter == null) {
            waiter = new StreamRing.Waiter();
        }
        return ring.awaitPublished(next, waiter);
    }

    /** True when the writer has published nothing this cursor has not read. */
    public boolean caughtUp() {
        return next >= ring.head();
    }

    /** How many chunks the writer is ahead of this cursor. */
    public long lag() {
        return ring.head() - next;
    }

    public int laps() {
        return laps;
    }

    public long position() {
        return next;
    }

    public boolean streamEnded() {
        return ring.isClosed() && caughtUp();
    }
}
