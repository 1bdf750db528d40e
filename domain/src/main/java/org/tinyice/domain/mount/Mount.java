package org.tinyice.domain.mount;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.tinyice.domain.stream.StreamFormat;
import org.tinyice.domain.stream.StreamRing;

/**
 * A live mount point: one source writing into one ring, and the listeners reading it. A mount
 * exists exactly as long as its source is connected.
 */
public final class Mount {

    private final String path;
    private final SourceInfo source;
    private final StreamFormat format;
    private final StreamRing ring;
    private final Instant streamStart;
    private final ConcurrentHashMap<Long, Listener> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger listenerCount = new AtomicInteger();
    private final AtomicInteger listenerPeak = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();
    /** Added to by every listener thread on every write: a LongAdder avoids one contended cache line. */
    private final LongAdder bytesSent = new LongAdder();
    private volatile String title = "";
    private volatile boolean titleSet;

    private final Runnable disconnectSource;

    public Mount(String path, SourceInfo source, StreamRing ring) {
        this(path, source, ring, () -> { });
    }

    /**
     * @param disconnectSource closes the source's connection (admin "kill source"); safe from any thread
     */
    public Mount(String path, SourceInfo source, StreamRing ring, Runnable disconnectSource) {
        this.disconnectSource = disconnectSource;
        this.path = path;
        this.source = source;
        this.format = StreamFormat.fromContentType(source.contentType());
        this.ring = ring;
        this.streamStart = source.connectedAt();
    }

    public String path() {
        return path;
    }

    public SourceInfo source() {
        return source;
    }

    public StreamFormat format() {
        return format;
    }

    public StreamRing ring() {
        return ring;
    }

    public Instant streamStart() {
        return streamStart;
    }

    /** The now-playing title, or "" when none was ever set. */
    public String title() {
        return title;
    }

    /** Whether a title was ever set (status leaves {@code title} out until then, like Icecast). */
    public boolean hasTitle() {
        return titleSet;
    }

    /** Sets the now-playing title; listeners meet it at the current stream position. */
    public void title(String title) {
        this.title = title == null ? "" : title;
        this.titleSet = true;
        ring.title(this.title);
    }

    /**
     * Admits a listener if fewer than {@code maxListeners} are connected (0 or less: no limit).
     *
     * @return false when the mount is full
     */
    public boolean tryAdd(Listener listener, int maxListeners) {
        while (true) {
            int now = listenerCount.get();
            if (isFull(now, maxListeners)) {
                return false;
            }
            if (listenerCount.compareAndSet(now, now + 1)) {
                listeners.put(listener.id(), listener);
                listenerPeak.accumulateAndGet(now + 1, Math::max);
                return true;
            }
        }
    }

    /** Whether {@link #tryAdd} would refuse now (another listener may take or free a place a moment later). */
    public boolean isFull(int maxListeners) {
        return isFull(listenerCount.get(), maxListeners);
    }

    private static boolean isFull(int count, int maxListeners) {
        return maxListeners > 0 && count >= maxListeners;
    }

    public void remove(Listener listener) {
        if (listeners.remove(listener.id()) != null) {
            listenerCount.decrementAndGet();
        }
    }

    public int listenerCount() {
        return listenerCount.get();
    }

    public int listenerPeak() {
        return listenerPeak.get();
    }

    public Collection<Listener> listeners() {
        return Collections.unmodifiableCollection(listeners.values());
    }

    /** Counters carried over from another process's mount (a take-over): the peak and the byte totals go on. */
    public void continueCounters(int peak, long read, long sent) {
        listenerPeak.accumulateAndGet(peak, Math::max);
        bytesRead.addAndGet(read);
        bytesSent.add(sent);
    }

    public void countRead(long bytes) {
        bytesRead.addAndGet(bytes);
    }

    public void countSent(long bytes) {
        bytesSent.add(bytes);
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Listeners whose laps show they could not keep up (Icecast's "slow listeners"). */
    public long slowListenerCount() {
        return listeners.values().stream().filter(listener -> listener.laps() > 0).count();
    }

    /** Asks every listener here to move to {@code destination} and wakes them so they do it now. */
    public int moveListenersTo(Mount destination) {
        int moved = 0;
        for (Listener listener : listeners.values()) {
            listener.requestMove(destination);
            moved++;
        }
        ring.nudge();
        return moved;
    }

    /** Closes the source's connection; the source's own thread then ends the mount. */
    public void disconnectSource() {
        disconnectSource.run();
    }

    /** Ends the stream: listeners drain what they have and disconnect. */
    public void end() {
        ring.close();
    }
}
