package org.tinyice.adapters.http.fanout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.tinyice.application.port.in.ListenerFeed;

/**
 * One writer thread of the {@link FanOutEngine}: a selector and the listeners it owns. A listener is
 * pumped when its feed's ring published something (the source's thread pushes it on this loop's ready
 * stack and, once all are pushed, wakes the selector if the loop is asleep), when its socket takes
 * bytes again ({@code OP_WRITE}, asked for only while bytes wait), or when it arrives.
 *
 * <p>Pumping gathers chunks from the feed until about {@link #GATHER_BYTES} wait, writes them with one
 * {@code write} from this loop's direct buffer, and goes on until the feed has caught up (then it asks the feed to wake it), the
 * socket is full (then {@code OP_WRITE}), or {@link #STEPS_PER_TURN} chunks went out (then it queues
 * itself behind the others: a listener far behind never holds up the rest).
 *
 * <p>With a {@link SendBatch} (io_uring), the listeners of the ready stack are not written one by one:
 * each one's gathered chunks become a send in the batch, and one system call sends them all
 * ({@link #gather}, {@link #sendBatch}). Arrivals and listeners waiting for {@code OP_WRITE} are
 * pumped one by one in either case: they are few, and a burst is large.
 */
final class WriterLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(WriterLoop.class.getName());

    /** Bytes gathered before a write: a whole default burst (64 KiB) goes out in one system call. */
    static final long GATHER_BYTES = 64 * 1024;
    /**
     * The loop's one direct buffer, which every flush copies its listener's slices into: a gathered
     * {@link #GATHER_BYTES} and the chunk that crossed it go out in one system call (more, in turns).
     */
    static final int OUT_BYTES = 128 * 1024;
    /** Chunks one listener may be given per turn before the others get theirs. */
    static final int STEPS_PER_TURN = 64;
    /** How often stalled sockets are looked for: stall times are seconds long. */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Thread thread;
    private final Selector selector;
    private final long stallNanos;
    private final ByteBuffer out = ByteBuffer.allocateDirect(OUT_BYTES);
    /**
     * Where the ready listeners' writes go, to be sent with one system call per batch; null where
     * io_uring cannot be used (or was not asked for), and then each listener is written on its own.
     */
    private SendBatch batch;
    /** The listeners of the batch's sends, by index, with what their feed said and the bytes staged. */
    private final AttachedListener[] batched = new AttachedListener[SendBatch.ENTRIES];
    private final ListenerFeed.Step[] batchedSteps = new ListenerFeed.Step[SendBatch.ENTRIES];
    private final int[] batchedBytes = new int[SendBatch.ENTRIES];
    private final AtomicReference<AttachedListener> readyStack = new AtomicReference<>();
    /**
     * Whether the loop is awake or its selector is woken: set by the push that wakes it, cleared by the
     * loop when it finds the stack empty, just before it sleeps.
     */
    private final AtomicBoolean awake = new AtomicBoolean();
    private final ConcurrentLinkedQueue<AttachedListener> arrivals = new ConcurrentLinkedQueue<>();
    /** Work other threads ask this loop to do on its own thread (a take-over's detach). */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean running = true;

    WriterLoop(String name, long stallNanos, SendBatch batch) {
        this.stallNanos = stallNanos;
        this.batch = batch;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    int size() {
        return size.get();
    }

    void attach(AttachedListener listener) {
        arrivals.add(listener);
        selector.wakeup();
    }

    /**
     * Pushes a listener that may have something to send (any thread; the listener's queued flag was set)
     * and wakes the loop. A publish pushes all its listeners with {@link #push} and wakes the loop once
     * after them ({@link AttachedListener}'s ring callback).
     */
    void ready(AttachedListener listener) {
        push(listener);
        wakeUp();
    }

    void push(AttachedListener listener) {
        while (true) {
            AttachedListener head = readyStack.get();
            listener.nextReady = head;
            if (readyStack.compareAndSet(head, listener)) {
                return;
            }
        }
    }

    /**
     * Wakes the loop unless it is awake already (or its selector is woken): once per sleep, not per push
     * nor per time it takes the stack, as the eventfd write, the {@code epoll_wait} it ends and the
     * selector's lock are each a cost.
     */
    void wakeUp() {
        if (!awake.get() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** {@link #wakeUp} as the one object a ring's {@code GroupedCallback} names as its group. */
    final Runnable wakeUpAction = this::wakeUp;

    void shutdown() {
        running = false;
        selector.wakeup();
    }

    void awaitStopped(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        long nextSweep = System.nanoTime() + SWEEP_NANOS;
        try {
            while (running) {
                if (readyStack.get() == null && arrivals.isEmpty() && tasks.isEmpty()) {
                    awake.set(false); // then look again: a listener pushed before this saw awake and did not wake us
                    if (readyStack.get() == null) {
                        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime()));
                        selector.select(waitMillis);
                    }
                } else {
                    selector.selectNow();
                }
                takeArrivals();
                runTasks();
                pumpWritable();
                pumpReady();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweepStalled(now);
                    nextSweep = now + SWEEP_NANOS;
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(Level.ERROR, "listener writer stopped", e);
        } finally {
            closeAll();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /**
     * Lets go of every listener whose feed {@code select} picks, on this loop's thread, and waits
     * (bounded) for it: each is no longer pumped, its channel is out of the selector (still open, in
     * blocking mode), and what it was given but its socket did not take comes back with it. Its
     * {@code onEnd} never runs: the listener goes on elsewhere (a take-over).
     */
    List<FanOutEngine.Detached> detach(java.util.function.Predicate<ListenerFeed> select) throws InterruptedException {
        List<FanOutEngine.Detached> detached = new ArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        tasks.add(() -> {
            try {
                takeArrivals();
                for (SelectionKey key : List.copyOf(selector.keys())) {
                    if (key.attachment() instanceof AttachedListener listener && !listener.ended
                            && !listener.closeRequested && select.test(listener.feed)) {
                        listener.ended = true;
                        key.cancel();
                        size.decrementAndGet();
                        detached.add(new FanOutEngine.Detached(listener.channel, listener.feed, listener.takePending(),
                                listener.onEnd));
                    }
                }
                selector.selectNow(); // deregisters the cancelled keys, so the channels may block again
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "detaching listeners failed", e);
            } finally {
                done.countDown();
            }
        });
        selector.wakeup();
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writer thread did not let go of its listeners");
        }
        return detached;
    }

    private void takeArrivals() {
        AttachedListener listener;
        while ((listener = arrivals.poll()) != null) {
            size.incrementAndGet();
            try {
                listener.key = listener.channel.register(selector, 0, listener);
            } catch (IOException | RuntimeException e) {
                end(listener, FanOutEngine.Ending.GONE);
                continue;
            }
            pump(listener);
        }
    }

    private void pumpWritable() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.isValid() && key.isWritable()) {
                pump((AttachedListener) key.attachment());
            }
        }
    }

    private void pumpReady() {
        AttachedListener listener = readyStack.getAndSet(null);
        while (listener != null) {
            AttachedListener next = listener.nextReady;
            listener.nextReady = null;
            listener.dequeued(); // before pumping: a chunk published meanwhile queues it again
            if (batch != null) {
                gather(listener);
            } else {
                pump(listener);
            }
            listener = next;
        }
        if (batch != null) {
            sendBatch();
        }
    }

    /**
     * As {@link #pump}, but the listener's write joins the batch, sent with the others' by
     * {@link #sendBatch}: one turn per listener (what is left after it comes in its next turn).
     */
    private void gather(AttachedListener listener) {
        if (listener.ended || listener.closeRequested || listener.key == null || listener.blockedSince != 0) {
            pump(listener); // ended, to close, not registered yet, or waiting for OP_WRITE: pump knows what to do
            return;
        }
        try {
            ListenerFeed.Step step = ListenerFeed.Step.SENT;
            int steps = 0;
            while (listener.pendingBytes() < GATHER_BYTES && steps < STEPS_PER_TURN) {
                step = listener.feed.sendNext(listener);
                steps++;
                if (step != ListenerFeed.Step.SENT) {
                    break;
                }
            }
            if (!listener.hasPending()) {
                afterWrite(listener, step);
                return;
            }
            int length = (int) Math.min(listener.pendingBytes(), OUT_BYTES);
            if (batch.room() < length) {
                sendBatch();
                if (batch == null) {
                    pump(listener);
                    return;
                }
            }
            int staged = listener.stage(batch.staging(), batch.used(), length);
            int index = batch.add(listener.fd, staged);
            batched[index] = listener;
            batchedSteps[index] = step;
            batchedBytes[index] = staged;
            if (batch.size() == SendBatch.ENTRIES) {
                sendBatch();
            }
        } catch (RuntimeException e) {
            end(listener, FanOutEngine.Ending.GONE);
        }
    }

    /**
     * Sends the batch and goes on with each of its listeners as {@link #pump} would after a write: a
     * socket that took less than it was given waits for {@code OP_WRITE}; one that failed is gone.
     */
    private void sendBatch() {
        int size = batch.size();
        if (size == 0) {
            return;
        }
        boolean sent;
        try {
            batch.submit();
            sent = true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "io_uring failed; writing each listener on its own from now on", e);
            batch.close();
            batch = null;
            sent = false;
        }
        for (int i = 0; i < size; i++) {
            AttachedListener listener = batched[i];
            ListenerFeed.Step step = batchedSteps[i];
            batched[i] = null;
            batchedSteps[i] = null;
            if (!sent) {
                pump(listener); // its bytes are still pending: written the plain way
                continue;
            }
            int result = batch.result(i);
            if (result < 0 && result != SendBatch.EAGAIN) {
                end(listener, FanOutEngine.Ending.GONE);
                continue;
            }
            if (result > 0) {
                listener.consume(result);
            }
            if (result < batchedBytes[i]) {
                blocked(listener);
            } else if (listener.hasPending()) {
                listener.wake(); // more than one batch's share: the rest in its next turn
            } else {
                afterWrite(listener, step);
            }
        }
    }

    /** What follows a write that took everything pending, by what the feed said last. */
    private void afterWrite(AttachedListener listener, ListenerFeed.Step step) {
        switch (step) {
            case SENT -> listener.wake(); // more to send: after the others have had their turn
            case CAUGHT_UP -> {
                if (!listener.feed.wakeWhenReady(listener.wake)) {
                    listener.wake(); // published meanwhile
                }
            }
            case ENDED -> end(listener, FanOutEngine.Ending.ENDED);
            case TOO_SLOW -> end(listener, FanOutEngine.Ending.TOO_SLOW);
        }
    }

    /** Sends what the listener's feed has, as far as its socket takes it. */
    void pump(AttachedListener listener) {
        if (listener.ended) {
            return;
        }
        if (listener.closeRequested) {
            end(listener, FanOutEngine.Ending.CLOSED);
            return;
        }
        if (listener.key == null) {
            return; // not registered yet: it is pumped when it arrives
        }
        try {
            if (!listener.flush(out)) {
                blocked(listener);
                return;
            }
            int steps = 0;
            while (steps < STEPS_PER_TURN) {
                ListenerFeed.Step step = ListenerFeed.Step.SENT;
                while (listener.pendingBytes() < GATHER_BYTES && steps < STEPS_PER_TURN) {
                    step = listener.feed.sendNext(listener);
                    steps++;
                    if (step != ListenerFeed.Step.SENT) {
                        break;
                    }
                }
                if (!listener.flush(out)) {
                    blocked(listener);
                    return;
                }
                unblocked(listener);
                switch (step) {
                    case SENT -> { }
                    case CAUGHT_UP -> {
                        if (listener.feed.wakeWhenReady(listener.wake)) {
                            return;
                        }
                    }
                    case ENDED -> {
                        end(listener, FanOutEngine.Ending.ENDED);
                        return;
                    }
                    case TOO_SLOW -> {
                        end(listener, FanOutEngine.Ending.TOO_SLOW);
                        return;
                    }
                }
            }
            listener.wake(); // more to send: after the others have had their turn
        } catch (IOException | RuntimeException e) {
            end(listener, FanOutEngine.Ending.GONE);
        }
    }

    private static void blocked(AttachedListener listener) {
        if (listener.key.interestOps() != SelectionKey.OP_WRITE) {
            listener.key.interestOps(SelectionKey.OP_WRITE);
        }
        if (listener.blockedSince == 0) {
            listener.blockedSince = System.nanoTime() | 1; // never 0, which means "not blocked"
        }
    }

    private static void unblocked(AttachedListener listener) {
        if (listener.blockedSince != 0) {
            listener.blockedSince = 0;
            listener.key.interestOps(0);
        }
    }

    private void sweepStalled(long now) {
        List<AttachedListener> stalled = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof AttachedListener listener) {
                if (listener.closeRequested) {
                    stalled.add(listener); // a close whose wake-up was lost (cannot happen, but costs nothing)
                } else if (listener.blockedSince != 0 && now - listener.blockedSince > stallNanos) {
                    stalled.add(listener);
                }
            }
        }
        for (AttachedListener listener : stalled) {
            end(listener, listener.closeRequested ? FanOutEngine.Ending.CLOSED : FanOutEngine.Ending.STALLED);
        }
    }

    private void end(AttachedListener listener, FanOutEngine.Ending ending) {
        if (listener.ended) {
            return;
        }
        listener.ended = true;
        listener.dropPending();
        if (listener.key != null) {
            listener.key.cancel();
        }
        try {
            SocketDescriptors.closeGracefully(listener.channel);
        } catch (IOException ignored) {
            // already gone
        }
        size.decrementAndGet();
        try {
            listener.onEnd.accept(ending);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a listener's end failed", e);
        }
    }

    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof AttachedListener listener) {
                    end(listener, FanOutEngine.Ending.CLOSED);
                }
            }
        } catch (ClosedSelectorException ignored) {
            // nothing registered any more
        }
        AttachedListener listener;
        while ((listener = arrivals.poll()) != null) {
            size.incrementAndGet();
            end(listener, FanOutEngine.Ending.CLOSED);
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (batch != null) {
            batch.close();
        }
    }
}
