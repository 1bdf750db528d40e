package org.tinyice.adapters.http.fanout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.out.ListenerOutput;
import org.tinyice.domain.stream.StreamRing;

/**
 * One listener in a {@link WriterLoop}: its channel, its feed, and the slices of shared chunks it has
 * been given but the socket has not taken yet. Only its loop's thread touches it, except
 * {@link #wake} (the source's thread, when a chunk is published) and {@link #close} (any thread).
 *
 * <p>The slices point into the ring's immutable chunks (no copy until the write); they are written
 * together, so a burst of many chunks, or a chunk split by ICY metadata blocks, is one system call.
 */
final class AttachedListener implements ListenerOutput, FanOutEngine.Attached {

    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(AttachedListener.class, "queued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final WriterLoop loop;
    final SocketChannel channel;
    /** The channel's descriptor, for the loop's {@link SendBatch}. */
    final int fd;
    final ListenerFeed feed;
    final Consumer<FanOutEngine.Ending> onEnd;
    /**
     * Given to the feed once (one object per wait would allocate per chunk): queues this listener on its
     * loop, which the ring wakes once after all the loop's listeners are queued.
     */
    final Runnable wake = new StreamRing.GroupedCallback() {
        @Override
        public void run() {
            if (QUEUED.compareAndSet(AttachedListener.this, false, true)) {
                loop.push(AttachedListener.this);
            }
        }

        @Override
        public Runnable group() {
            return loop.wakeUpAction;
        }
    };
    SelectionKey key;

    // the slices given but not written yet, oldest first: (array, offset, length) in three parallel
    // arrays rather than a ByteBuffer each, so that giving a listener a chunk allocates nothing
    private byte[][] arrays = new byte[4][];
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private int first;
    private int count;
    private long pendingBytes;
    /** When the socket first refused part of the pending bytes ({@link System#nanoTime}), or 0. */
    long blockedSince;
    boolean ended;

    /** On the loop's ready stack (set by whoever pushes, cleared by the loop when it takes the stack). */
    @SuppressWarnings("unused")
    private volatile boolean queued;
    AttachedListener nextReady;
    /** Asked to close from another thread; the loop ends it. */
    volatile boolean closeRequested;

    AttachedListener(WriterLoop loop, SocketChannel channel, ListenerFeed feed, Consumer<FanOutEngine.Ending> onEnd)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.fd = SocketDescriptors.descriptorOf(channel);
        this.feed = feed;
        this.onEnd = onEnd;
    }

    /** Something may be there to send: have the loop pump this listener (any thread, allocates nothing). */
    void wake() {
        if (QUEUED.compareAndSet(this, false, true)) {
            loop.ready(this);
        }
    }

    /** Called by the loop when it takes this listener off its ready stack, before pumping it. */
    void dequeued() {
        queued = false;
    }

    @Override
    public void close() {
        closeRequested = true;
        wake();
    }

    /** The feed's output: keeps a slice of a shared chunk to write with the next flush. */
    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (first + count == arrays.length) {
            if (first > 0) {
                System.arraycopy(arrays, first, arrays, 0, count);
                System.arraycopy(offsets, first, offsets, 0, count);
                System.arraycopy(lengths, first, lengths, 0, count);
                java.util.Arrays.fill(arrays, count, arrays.length, null);
                first = 0;
            } else {
                arrays = java.util.Arrays.copyOf(arrays, arrays.length * 2);
                offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
                lengths = java.util.Arrays.copyOf(lengths, lengths.length * 2);
            }
        }
        int at = first + count++;
        arrays[at] = bytes;
        offsets[at] = offset;
        lengths[at] = length;
        pendingBytes += length;
    }

    boolean hasPending() {
        return count > 0;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Writes what the socket takes now, through the loop's direct buffer {@code out}: the slices are
     * copied into it and written with one {@code write}. NIO would make that same copy itself (a heap
     * buffer goes to the kernel through a temporary direct one), but with a {@code ByteBuffer} per slice
     * and an I/O vector per call; at 1,000 listeners of a low-latency mount that was a third of the
     * writer thread's Java time (docs/performance.md).
     *
     * @param out the loop's direct buffer, used and left in any state
     * @return true if everything pending went out
     */
    boolean flush(ByteBuffer out) throws IOException {
        while (count > 0) {
            out.clear();
            for (int i = first; i < first + count && out.hasRemaining(); i++) {
                out.put(arrays[i], offsets[i], Math.min(lengths[i], out.remaining()));
            }
            out.flip();
            int offered = out.remaining();
            // whatever the socket does not take now waits for OP_WRITE (a second try right away would
            // almost always find the send buffer still full)
            int written = channel.write(out);
            consume(written);
            if (written < offered) {
                return false;
            }
        }
        first = 0;
        return true;
    }

    /**
     * Copies the pending slices, oldest first and at most {@code max} bytes, to {@code to} at {@code at}
     * (a {@link SendBatch}'s staging memory), and keeps them pending until {@link #consume} says they went.
     *
     * @return the bytes copied
     */
    int stage(MemorySegment to, long at, int max) {
        int staged = 0;
        for (int i = first; i < first + count && staged < max; i++) {
            int length = Math.min(lengths[i], max - staged);
            MemorySegment.copy(arrays[i], offsets[i], to, ValueLayout.JAVA_BYTE, at + staged, length);
            staged += length;
        }
        return staged;
    }

    /** Forgets the first {@code bytes} pending bytes (they went out). */
    void consume(int bytes) {
        pendingBytes -= bytes;
        while (bytes > 0) {
            if (lengths[first] <= bytes) {
                bytes -= lengths[first];
                arrays[first++] = null;
                count--;
            } else {
                offsets[first] += bytes;
                lengths[first] -= bytes;
                bytes = 0;
            }
        }
        if (count == 0) {
            first = 0;
        }
    }

    /** The bytes given but not written yet, as one array, and forgets them (a take-over carries them). */
    byte[] takePending() {
        byte[] bytes = new byte[(int) pendingBytes];
        int at = 0;
        for (int i = first; i < first + count; i++) {
            System.arraycopy(arrays[i], offsets[i], bytes, at, lengths[i]);
            at += lengths[i];
        }
        dropPending();
        return bytes;
    }

    /** Lets go of the chunks it held (an ended listener must not keep audio alive). */
    void dropPending() {
        java.util.Arrays.fill(arrays, null);
        first = 0;
        count = 0;
        pendingBytes = 0;
    }
}
