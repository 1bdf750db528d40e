package org.tinyice.adapters.http.fanout;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.tinyice.application.port.in.ListenerFeed;

/**
 * TinyIce's listener write path: once a listener's response head is sent, its socket is handed here,
 * and a few platform threads ({@link WriterLoop}s, each with its own selector and its own set of
 * listeners) write the ring's shared chunks to it with non-blocking writes, many chunks in one. What is sent,
 * ICY metadata, moves and when a slow listener is dropped stay the application's
 * ({@link ListenerFeed}); this class only moves bytes and notices sockets that stopped taking them.
 *
 * <p>Why not a virtual thread per listener, as everything else in TinyIce: each chunk then costs an
 * unpark, a reschedule and Helidon's socket wrapper per listener (~17 µs of CPU at 1,000 listeners of a
 * low-latency mount, against Icecast's ~2 µs), and each listener keeps a virtual thread's stack and
 * Helidon's 8 KiB read buffer. Here a chunk costs one callback on the source's thread (a push on the
 * writer's ready stack) and one send per listener, many listeners' sends in one system call where the
 * kernel allows io_uring ({@link SendBatch}), and a listener is a few hundred bytes.
 *
 * <p>Connections taken over from another process (zero-downtime update) come in through the same
 * {@link #attach}: build their channel with {@link SocketDescriptors#adopt}.
 */
public final class FanOutEngine implements AutoCloseable {

    /** A listener whose pending bytes have not all gone out in this time stopped reading: it is closed. */
    public static final long DEFAULT_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(FanOutEngine.class.getName());

    private final WriterLoop[] loops;
    private final boolean usesIoUring;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param threads    writer threads; each owns a share of the listeners
     * @param stallNanos how long a listener's socket may refuse bytes before it is closed as stalled
     */
    public FanOutEngine(int threads, long stallNanos) {
        this(threads, stallNanos, true);
    }

    /**
     * @param threads    writer threads; each owns a share of the listeners
     * @param stallNanos how long a listener's socket may refuse bytes before it is closed as stalled
     * @param ioUring    send the ready listeners' writes in batches through io_uring ({@link SendBatch})
     *                   where the kernel allows it; false, or where it does not, one {@code write} each
     */
    public FanOutEngine(int threads, long stallNanos, boolean ioUring) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads);
        }
        // every writer thread batches, or none does: one answer to "how are listeners written"
        SendBatch[] batches = new SendBatch[threads];
        String refused = null;
        for (int i = 0; ioUring && refused == null && i < threads; i++) {
            try {
                batches[i] = SendBatch.open();
            } catch (IOException | RuntimeException e) {
                refused = e.getMessage();
                for (int opened = 0; opened < i; opened++) {
                    batches[opened].close();
                    batches[opened] = null;
                }
            }
        }
        loops = new WriterLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new WriterLoop("tinyice-writer-" + i, stallNanos, batches[i]);
        }
        usesIoUring = ioUring && refused == null;
        LOG.log(Level.INFO, usesIoUring ? "listener writes: batched through io_uring"
                : ioUring ? "listener writes: one write(2) each (io_uring unavailable: " + refused + ")"
                : "listener writes: one write(2) each");
        for (WriterLoop loop : loops) {
            loop.start();
        }
    }

    /**
     * Writer threads for this machine: one per two cores (at least one). One thread writes ~40,000
     * chunks a second (1,000 listeners of a low-latency mount) in a few percent of a core; more
     * threads than that would mostly add wake-ups, and the rest of the server needs the other cores.
     */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * Takes over a listener whose response head has been sent: from now on its socket is written
     * here, and {@code onEnd} is called once, on a writer thread, when it ends (it must not block:
     * count, log, release). The channel is made non-blocking and gets {@code TCP_NODELAY}, so
     * that small chunks of a low-latency mount are not held back by Nagle's algorithm.
     *
     * @return a handle to close the listener from any thread (kick, move away, shutdown)
     */
    public Attached attach(SocketChannel channel, ListenerFeed feed, Consumer<Ending> onEnd) throws IOException {
        return attach(channel, feed, onEnd, new byte[0]);
    }

    /**
     * As {@link #attach(SocketChannel, ListenerFeed, Consumer)}, for a listener taken over from another
     * process: {@code unsent} (what that process's engine had been given but not written) goes first.
     */
    public Attached attach(SocketChannel channel, ListenerFeed feed, Consumer<Ending> onEnd, byte[] unsent)
            throws IOException {
        channel.configureBlocking(false);
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        WriterLoop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        AttachedListener listener = new AttachedListener(loop, channel, feed, onEnd);
        listener.write(unsent, 0, unsent.length);
        loop.attach(listener);
        return listener;
    }

    /**
     * Lets go of the listeners whose feeds {@code select} picks (a take-over): they are no longer
     * written, their {@code onEnd} never runs, and each comes back with its channel (open, blocking)
     * and the bytes it was given but its socket had not taken. When this returns no writer thread
     * touches them any more, so their feeds may be read from the calling thread.
     */
    public java.util.List<Detached> detach(java.util.function.Predicate<ListenerFeed> select)
            throws InterruptedException {
        java.util.List<Detached> all = new java.util.ArrayList<>();
        for (WriterLoop loop : loops) {
            all.addAll(loop.detach(select));
        }
        return all;
    }

    /**
     * A listener the engine let go of: its channel, its feed, the bytes to send before the feed's next,
     * and what was to run at its end (for {@link #attach} again if the take-over fails).
     */
    public record Detached(SocketChannel channel, ListenerFeed feed, byte[] unsent, Consumer<Ending> onEnd) {
    }

    /** Whether the writer threads send through io_uring (else one {@code write} per listener). */
    public boolean usesIoUring() {
        return usesIoUring;
    }

    /** Listeners attached now, over all writer threads. */
    public int listeners() {
        int total = 0;
        for (WriterLoop loop : loops) {
            total += loop.size();
        }
        return total;
    }

    /** Closes every listener ({@link Ending#CLOSED}, their {@code onEnd} run) and stops the threads. */
    @Override
    public void close() {
        for (WriterLoop loop : loops) {
            loop.shutdown();
        }
        for (WriterLoop loop : loops) {
            loop.awaitStopped(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** Why a listener's connection ended. */
    public enum Ending {
        /** The stream ended and there was nothing to follow. */
        ENDED,
        /** The feed dropped it: lapped too often. */
        TOO_SLOW,
        /** Its socket took nothing for the stall time: it stopped reading. */
        STALLED,
        /** The socket failed: the listener went away. */
        GONE,
        /** Closed from outside: a kick, a shutdown. */
        CLOSED
    }

    /** A listener in the engine, as its connection sees it. */
    public interface Attached {
        /** Closes the listener ({@link Ending#CLOSED}) from any thread; nothing if it already ended. */
        void close();
    }
}
