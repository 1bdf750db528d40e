package org.tinyice.domain.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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
 * <p>Waiting readers park on their own thread ({@link LockSupport}, friendly to virtual threads) after
 * registering in a lock-free stack; the writer takes the whole stack and unparks each, so a mount
 * nobody waits on costs one volatile read per publish.
 */
public final class StreamRing {

    private final Chunk[] slots;
    /** When each slot's chunk was published ({@link System#nanoTime}): what a burst measured in time reads. */
    private final long[] publishedAt;
    private final int mask;
    private final AtomicReference<Waiter> waiters = new AtomicReference<>();

    /** Sequence the next published chunk will get; equals the number of chunks published. */
    private volatile long published;
    private volatile boolean closed;
    private volatile String title = "";
    private volatile CodecHeaders headers;

    /**
     * @param capacity number of chunks kept; rounded up to a power of two, at least 2
     */
    public StreamRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.slots = new Chunk[size];
        this.publishedAt = new long[size];
        this.mask = size - 1;
    }

    /**
     * A ring that goes on from another process's (a take-over): the next chunk gets sequence
     * {@code head}, and {@code chunks} (the other ring's {@link #retained()}, oldest first, all below
     * {@code head}) are there to read at their own sequences, so cursors carried over stay valid and
     * a new listener still gets its burst. Their publication times are now.
     */
    public static StreamRing continuing(int capacity, long head, java.util.List<Chunk> chunks) {
        StreamRing ring = new StreamRing(capacity);
        long now = System.nanoTime();
        for (Chunk chunk : chunks) {
            if (chunk.sequence() >= head || chunk.sequence() < head - ring.slots.length) {
                throw new IllegalArgumentException("chunk " + chunk.sequence() + " is not among the "
                        + ring.slots.length + " before " + head);
            }
            int slot = (int) (chunk.sequence() & ring.mask);
            ring.slots[slot] = chunk;
            ring.publishedAt[slot] = now;
        }
        ring.published = head;
        return ring;
    }

    /** The chunks still held, oldest first: what a take-over carries to {@link #continuing}. */
    public java.util.List<Chunk> retained() {
        long head = published;
        java.util.List<Chunk> chunks = new java.util.ArrayList<>();
        for (long sequence = Math.max(0, head - slots.length); sequence < head; sequence++) {
            Chunk chunk = slots[(int) (sequence & mask)];
            if (chunk != null && chunk.sequence() == sequence) {
                chunks.add(chunk);
            }
        }
        return chunks;
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
        int slot = (int) (sequence & mask);
        slots[slot] = chunk;
        publishedAt[slot] = System.nanoTime();
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
     * Where a new listener starts so that it gets the chunks published in the last {@code ageNanos}
     * (a burst measured in time: a low-latency mount's half second, whatever the bitrate), but at
     * least the newest chunk, limited to what the ring still holds.
     */
    public long burstStartByAge(long ageNanos) {
        long head = published;
        long oldest = Math.max(0, head - slots.length + 1);
        long since = System.nanoTime() - ageNanos;
        long start = head;
        while (start > oldest) {
            int slot = (int) ((start - 1) & mask);
            Chunk chunk = slots[slot];
            if (chunk == null || chunk.sequence() != start - 1) {
                break;
            }
            if (start < head && publishedAt[slot] - since < 0) {
                break; // older than asked (the newest chunk is always given)
            }
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
        return await(sequence, new Waiter(), System.nanoTime() + unit.toNanos(timeout), true);
    }

    /**
     * Blocks, without a timeout, until a chunk with sequence {@code >= sequence} is published, the ring
     * is closed, or {@link #nudge()} is called. {@code waiter} belongs to the calling reader and is
     * reused on every wait, so waiting allocates nothing.
     *
     * @return true if such a chunk is there now
     */
    boolean awaitPublished(long sequence, Waiter waiter) throws InterruptedException {
        return await(sequence, waiter, 0, false);
    }

    /**
     * Asks for {@code waiter}'s callback to run once, on the publishing thread, when a chunk with
     * sequence {@code >= sequence} is published, the ring is closed, or it is nudged: how a
     * non-blocking writer (which has no thread to park) waits. The callback must be quick and must not
     * block: it runs inside the source's publish. It may run for nothing (the reader re-checks).
     *
     * @return false if there is something to read already (or the ring is closed): the caller should
     *         read now rather than wait for the callback
     */
    boolean wakeWhenPublished(long sequence, Waiter waiter) {
        if (published > sequence || closed) {
            return false;
        }
        if (!waiter.queued) {
            waiter.queued = true;
            push(waiter);
        }
        // the same ordering argument as in await: either the writer sees the waiter, or we see its chunk
        return !(published > sequence || closed);
    }

    private boolean await(long sequence, Waiter waiter, long deadline, boolean timed) throws InterruptedException {
        while (true) {
            if (published > sequence || closed) {
                return published > sequence;
            }
            waiter.thread = Thread.currentThread();
            if (!waiter.queued) {
                waiter.queued = true;
                push(waiter);
            }
            // Registered (a volatile CAS) before re-reading the volatile counter, while the writer writes
            // the counter before taking the waiters: either it sees us, or we see its chunk.
            if (published > sequence || closed) {
                return published > sequence;
            }
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Ends the stream: waiting readers wake up and see {@link #isClosed()}. */
    public void close() {
        closed = true;
        wakeReaders();
    }

    /** Wakes every waiting reader without publishing anything (e.g. so it notices a move request). */
    public void nudge() {
        wakeReaders();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Unparks every registered reader directly. A {@code Condition.signalAll} would only move the
     * waiters to the lock's queue, and each would then be woken by the one before it releasing the
     * lock: a relay through one lock per publish, linear in the number of listeners (measured with
     * the JMH benchmark: ~1.2-1.9 ms per publish at 1,000 readers). Unparking them all lets the
     * scheduler run them in parallel; a reader woken for nothing just re-checks and parks again.
     */
    private void wakeReaders() {
        if (waiters.get() == null) {
            return;
        }
        Waiter waiter = waiters.getAndSet(null);
        List<Runnable> groups = null;
        while (waiter != null) {
            Waiter next = waiter.next;
            waiter.next = null;
            waiter.queued = false;
            if (waiter.callback != null) {
                try {
                    waiter.callback.run();
                    if (waiter.callback instanceof GroupedCallback member) {
                        if (groups == null) {
                            groups = new ArrayList<>(2);
                        }
                        if (!groups.contains(member.group())) {
                            groups.add(member.group());
                        }
                    }
                } catch (RuntimeException ignored) {
                    // a reader's failure must never stop the source or the other readers
                }
            } else {
                LockSupport.unpark(waiter.thread);
            }
            waiter = next;
        }
        if (groups != null) {
            for (Runnable group : groups) {
                try {
                    group.run();
                } catch (RuntimeException ignored) {
                    // as above
                }
            }
        }
    }

    /**
     * A reader's callback ({@link #wakeWhenPublished}) that one of a group of readers shares a wake-up
     * with: a publish runs every reader's {@link #run} first, then each group's {@link #group} once. A
     * writer thread with many listeners gets one wake-up per publish this way, after all of them are
     * queued for it: woken by the first, it took them a few at a time while the rest were still being
     * queued, and the two threads contended for the same memory (measured at 100 listeners: about three
     * wake-ups and send rounds per publish).
     */
    public interface GroupedCallback extends Runnable {
        /** Wakes the group; the same object for every member, run once per wake-up after all members' {@link #run}. */
        Runnable group();
    }

    private void push(Waiter waiter) {
        while (true) {
            Waiter head = waiters.get();
            waiter.next = head;
            if (waiters.compareAndSet(head, waiter)) {
                return;
            }
        }
    }

    /**
     * A reader's entry in the ring's stack of parked readers, owned by one reader and reused for
     * every wait. {@code queued} is set by the reader when it pushes the entry and cleared by the
     * writer when it takes the stack, so an entry is never on the stack twice. A waiter either parks
     * its thread or, with a {@code callback}, is called back (a non-blocking writer).
     */
    static final class Waiter {
        final Runnable callback;
        volatile Thread thread;
        volatile boolean queued;
        Waiter next;

        Waiter() {
            this(null);
        }

        Waiter(Runnable callback) {
            this.callback = callback;
        }
    }
}
