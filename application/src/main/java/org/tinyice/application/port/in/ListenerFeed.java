package org.tinyice.application.port.in;

import org.tinyice.application.port.out.ListenerOutput;

/**
 * What one admitted listener is sent next, one step at a time: a blocking transport loops over
 * {@link #sendNext} and {@link #await} on the listener's own thread; a non-blocking one can call
 * {@link #sendNext} when the socket is writable. The transport only writes bytes; what they are, and
 * when a listener has had enough, is decided behind this port. Not thread-safe: one listener, one
 * thread at a time.
 */
public interface ListenerFeed {

    /** What one step did. */
    enum Step {
        /** A chunk (maybe with Ogg headers or ICY blocks) went to the output. */
        SENT,
        /** Nothing to send yet: {@link #await()} before the next step. */
        CAUGHT_UP,
        /** The stream ended and there is no fallback to follow: close the connection. */
        ENDED,
        /** The listener fell too far behind too often: close the connection. */
        TOO_SLOW
    }

    /** Sends at most one chunk to {@code out}; an exception thrown by {@code out} passes through. */
    Step sendNext(ListenerOutput out);

    /**
     * Parks until there is something to send, the stream ends, or the listener is nudged (a move, a
     * kick). May return early; the next {@link #sendNext} tells what happened.
     */
    void await() throws InterruptedException;

    /** The {@code icy-metaint} the listener's head must announce, or 0 when it gets no ICY metadata. */
    int metaint();

    /** The transport closed this listener because a write blocked too long (it stopped reading). */
    void stalled();
}
