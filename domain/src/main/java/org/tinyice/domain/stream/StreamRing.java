package org.tinyice.domain.stream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one shared buffer of a mount: a single writer (the source) publishes immutable chunks, and
 * every listener reads them at its own {@link RingCursor}.
 *
 * <p>Shape borrowed from Agrona's broadcast buffer: a power-of-two array indexed by
 * {@code sequence & mask} and one published counter. Unlike the Disruptor there is no producer
 * gating: the writer never waits for readers, it simply overwrites the oldest slot. A reader that
 * was too slow notices it was lapped (the slot holds a newer sequence) and decides what to do;
 * one stalled listener can never slow the source or anyone else.
 *
 * <p>Memory ordering: the slot is written before the volatile {@code published} counter, and
 * readers read the counter before the slot, so a reader that sees {@code published > s} also sees
 * chunk {@code s} or a newer one (which is how a lap shows).
 *
 * <p>Waiting uses a {@link ReentrantLock} and {@link Condition} (friendly to virtual threads); the
 * writer only takes the lock when somebody waits, so a mount nobody listens to costs no locking.
 */
public final class StreamRing {

    private final Chunk[] slots;
    private final int mask;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();

    /** Sequence the next published chunk will get; equals the number of chunks published. */
    private volatile long published;
    private volatile int waiting;
    private volatile boolean closed;
    private volatile String title = "";
    private volatile CodecHeaders headers;

    /**
     * @param capacity number of chunks kept; rounded up to a power of two, at least 2
     */
    public StreamRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.slots = new Chunk[size];
        this.mask = size - 1;
    }

    public int capacity() {
        return slots.length;
    }

    /**
     * Publishes a copy of {@code length} bytes from {@code data}. Single writer only.
     *
     * @return the published chunk
     */
    public Chunk publish(byte[] data, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        return publishOwned(copy);
    }

    /**
     * Publishes {@code bytes} without copying; the caller hands over ownership. Single writer only.
     */
    public Chunk publishOwned(byte[] bytes) {
        long sequence = published;
        Chunk chunk = new Chunk(sequence, bytes, title, headers);
        slots[(int) (sequence & mask)] = chunk;
        published = sequence + 1;
        wakeReaders();
        return chunk;
    }

    /** Sets the title carried by chunks published from now on. */
    public void title(String title) {
        this.title = title == null ? "" : title;
    }

    public String title() {
        return title;
    }

    /** The codec header pages of the stream now, or null (not Ogg, or none seen yet). */
    public CodecHeaders headers() {
        return headers;
    }

    /** Sets the codec header pages carried by chunks published from now on (Ogg only). */
    public void headers(CodecHeaders headers) {
        this.headers = headers;
    }

    /** The sequence the next chunk will get: chunks {@code [head - capacity, head)} may be read. */
    public long head() {
        return published;
    }

    /**
     * The chunk with this sequence, or {@code null} if it is not published yet. A chunk with a
     * <em>larger</em> sequence than asked means the reader was lapped.
     */
    public Chunk slot(long sequence) {
        if (sequence >= published) {
            return null;
        }
        return slots[(int) (sequence & mask)];
    }

    /**
     * Where a new listener starts so that it gets at least {@code burstBytes} of history at once
     * (Icecast's burst-on-connect), limited to what the ring still holds. Zero means "live".
     */
    public long burstStart(int burstBytes) {
        long head = published;
        long oldest = Math.max(0, head - slots.length + 1);
        long start = head;
        int total = 0;
        while (start > oldest && total < burstBytes) {
            Chunk chunk = slots[(int) ((start - 1) & mask)];
            if (chunk == null || chunk.sequence() != start - 1) {
                break;
            }
            total += chunk.length();
            start--;
        }
        return start;
    }

    /**
     * Blocks until a chunk with sequence {@code >= sequence} is published, the ring is closed,
     * or the timeout passes.
     *
     * @return true if such a chunk is there now
     */
    public boolean awaitPublished(long sequence, long timeout, TimeUnit unit) throws InterruptedException {
        if (published > sequence || closed) {
            return published > sequence;
        }
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            waiting++;
            try {
                // waiting is volatile and written before we re-check published: the writer either sees
                // us waiting, or we see its chunk (Dekker-style handshake through two volatiles).
                while (published <= sequence && !closed) {
                    if (nanos <= 0) {
                        return false;
                    }
                    nanos = advanced.awaitNanos(nanos);
                }
            } finally {
                waiting--;
            }
            return published > sequence;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream: waiting readers wake up and see {@link #isClosed()}. */
    public void close() {
        closed = true;
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Wakes every waiting reader without publishing anything (e.g. so it notices a move request). */
    public void nudge() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void wakeReaders() {
        if (waiting > 0) {
            lock.lock();
            try {
                advanced.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
