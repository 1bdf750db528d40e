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
    private StreamRing.Waiter callbackWaiter;

    public RingCursor(StreamRing ring, long start) {
        this(ring, start, 0);
    }

    /** A cursor carried over from another process (a take-over), laps and all. */
    public RingCursor(StreamRing ring, long start, int laps) {
        this.ring = ring;
        this.next = start;
        this.laps = laps;
    }

    /** A cursor that starts with the chunks of the last {@code burstNanos} (a low-latency mount's burst). */
    public static RingCursor withBurstOfAge(StreamRing ring, long burstNanos) {
        return new RingCursor(ring, ring.burstStartByAge(burstNanos));
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

    /**
     * Asks for {@code wake} to run once, on the source's thread, when there is something to read, the
     * stream ends, or the ring is nudged; the non-blocking form of {@link #await()}. Pass the same
     * {@code wake} every time: it is registered once per cursor and reused, so waiting allocates nothing.
     *
     * @return false if there is something to read already (then read instead of waiting)
     */
    public boolean wakeWhenReadable(Runnable wake) {
        if (callbackWaiter == null || callbackWaiter.callback != wake) {
            callbackWaiter = new StreamRing.Waiter(wake);
        }
        return ring.wakeWhenPublished(next, callbackWaiter);
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
