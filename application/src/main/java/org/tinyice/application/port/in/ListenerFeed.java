package org.tinyice.application.port.in;

import org.tinyice.application.port.out.ListenerOutput;

/**
 * What one admitted listener is sent next, one step at a time: the transport (a non-blocking writer
 * that serves many listeners from a few threads) calls {@link #sendNext} while the socket takes bytes,
 * and {@link #wakeWhenReady} when the listener has caught up. The transport only writes bytes; what
 * they are, and when a listener has had enough, is decided behind this port. Not thread-safe: one
 * listener, one thread at a time.
 */
public interface ListenerFeed {

    /** What one step did. */
    enum Step {
        /** A chunk (maybe with Ogg headers or ICY blocks) went to the output. */
        SENT,
        /** Nothing to send yet: {@link #wakeWhenReady} before the next step. */
        CAUGHT_UP,
        /** The stream ended and there is no fallback to follow: close the connection. */
        ENDED,
        /** The listener fell too far behind too often: close the connection. */
        TOO_SLOW
    }

    /** Sends at most one chunk to {@code out}; an exception thrown by {@code out} passes through. */
    Step sendNext(ListenerOutput out);

    /**
     * Asks for {@code wake} to run once (on another thread, quickly: it must not block) when there may
     * be something to send, the stream ends, or the listener is nudged (a move, a kick). It may run for
     * nothing; the next {@link #sendNext} tells. Pass the same {@code wake} each time (it is kept).
     *
     * @return false if there may be something to send already: call {@link #sendNext} instead of waiting
     */
    boolean wakeWhenReady(Runnable wake);

    /** The {@code icy-metaint} the listener's head must announce, or 0 when it gets no ICY metadata. */
    int metaint();

    /** The transport closed this listener because a write blocked too long (it stopped reading). */
    void stalled();

    /**
     * Where this listener is in the stream, for the process that takes over (a take-over): call only
     * once the write engine has stopped pumping it. Empty if it cannot be carried over (an Ogg stream).
     */
    default java.util.Optional<HandOverStreamsUseCase.ListenerState> handOverState() {
        return java.util.Optional.empty();
    }
}
