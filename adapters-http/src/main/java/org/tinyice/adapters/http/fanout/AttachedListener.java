package org.tinyice.adapters.http.fanout;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.out.ListenerOutput;

/**
 * One listener in a {@link WriterLoop}: its channel, its feed, and the slices of shared chunks it has
 * been given but the socket has not taken yet. Only its loop's thread touches it, except
 * {@link #wake} (the source's thread, when a chunk is published) and {@link #close} (any thread).
 *
 * <p>The slices point into the ring's immutable chunks (no copy); they are written with one gathering
 * write, so a burst of many chunks, or a chunk split by ICY metadata blocks, is one system call.
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
    final ListenerFeed feed;
    final Consumer<FanOutEngine.Ending> onEnd;
    /** Given to the feed once: a method reference per wait would allocate per chunk. */
    final Runnable wake = this::wake;
    SelectionKey key;

    private ByteBuffer[] pending = new ByteBuffer[8];
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

    AttachedListener(WriterLoop loop, SocketChannel channel, ListenerFeed feed, Consumer<FanOutEngine.Ending> onEnd) {
        this.loop = loop;
        this.channel = channel;
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

    /** The feed's output: keeps a slice of a shared chunk to write with the next gathering write. */
    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (first + count == pending.length) {
            if (first > 0) {
                System.arraycopy(pending, first, pending, 0, count);
                java.util.Arrays.fill(pending, count, pending.length, null);
                first = 0;
            } else {
                pending = java.util.Arrays.copyOf(pending, pending.length * 2);
            }
        }
        pending[first + count++] = ByteBuffer.wrap(bytes, offset, length);
        pendingBytes += length;
    }

    boolean hasPending() {
        return count > 0;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Writes what the socket takes now.
     *
     * @return true if everything pending went out
     */
    boolean flush() throws IOException {
        if (count == 0) {
            return true;
        }
        // one writev: whatever the socket does not take now waits for OP_WRITE (a second try right away
        // would almost always find the send buffer still full)
        long written = channel.write(pending, first, count);
        pendingBytes -= written;
        while (count > 0 && !pending[first].hasRemaining()) {
            pending[first++] = null;
            count--;
        }
        if (count == 0) {
            first = 0;
            return true;
        }
        return false;
    }

    /** The bytes given but not written yet, as one array, and forgets them (a take-over carries them). */
    byte[] takePending() {
        byte[] bytes = new byte[(int) pendingBytes];
        int at = 0;
        for (int i = first; i < first + count; i++) {
            int length = pending[i].remaining();
            pending[i].get(bytes, at, length);
            at += length;
        }
        dropPending();
        return bytes;
    }

    /** Lets go of the chunks it held (an ended listener must not keep audio alive). */
    void dropPending() {
        java.util.Arrays.fill(pending, null);
        first = 0;
        count = 0;
        pendingBytes = 0;
    }
}
