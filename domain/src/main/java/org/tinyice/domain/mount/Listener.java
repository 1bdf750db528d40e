package org.tinyice.domain.mount;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connected listener as the rest of the server sees it: who it is and how much it got. The
 * id is unique for the life of the process and stable for the connection's life, so the admin
 * API, the JSON API and the dashboard can all name the same listener.
 */
public final class Listener {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String home;
    private final String remoteAddress;
    private final String userAgent;
    private final Instant connectedAt;
    private final Runnable disconnect;
    private volatile long bytesSent;
    private volatile int laps;
    private final AtomicReference<Mount> moveRequest = new AtomicReference<>();

    public Listener(String remoteAddress, String userAgent, Instant connectedAt, Runnable disconnect) {
        this("", remoteAddress, userAgent, connectedAt, disconnect);
    }

    /**
     * @param home       the mount the listener asked for (it may be served by a fallback, and moves
     *                   back home when that mount's source returns)
     * @param userAgent  kept as {@link StoredUserAgent#of} bounds it
     * @param disconnect closes this listener's connection; must be safe to call from any thread
     */
    public Listener(String home, String remoteAddress, String userAgent, Instant connectedAt, Runnable disconnect) {
        this.home = home;
        this.remoteAddress = remoteAddress;
        this.userAgent = StoredUserAgent.of(userAgent);
        this.connectedAt = connectedAt;
        this.disconnect = disconnect;
    }

    public long id() {
        return id;
    }

    /** The mount this listener asked for. */
    public String home() {
        return home;
    }

    /**
     * Asks this listener's own thread to continue on {@code destination} (admin "move clients",
     * fallback, fallback override). The connection stays open; no new response head is sent.
     */
    public void requestMove(Mount destination) {
        moveRequest.set(destination);
    }

    public boolean hasMoveRequest() {
        return moveRequest.get() != null;
    }

    /** The pending move, if any, cleared as it is taken. Only the listener's own thread calls this. */
    public Mount takeMoveRequest() {
        return moveRequest.getAndSet(null);
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public String userAgent() {
        return userAgent;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** Only the listener's own thread calls this. */
    public void sent(long bytes) {
        bytesSent += bytes;
    }

    public int laps() {
        return laps;
    }

    public void laps(int laps) {
        this.laps = laps;
    }

    public void disconnect() {
        disconnect.run();
    }
}
