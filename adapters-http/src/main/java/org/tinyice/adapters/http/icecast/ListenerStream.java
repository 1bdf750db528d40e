package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.out.ListenerOutput;
import org.tinyice.domain.mount.SourceInfo;

/**
 * Sends one mount to one listener over its connection: Icecast's response head, then whatever the
 * listener's {@link ListenerFeed} gives it, on the connection's own virtual thread, until the feed
 * ends or the listener goes away. What is sent and when a slow listener is dropped is the feed's
 * business; this class owns the socket.
 *
 * <p>A listener that stops reading fills its (bounded) socket send buffer, its write blocks, and the
 * watchdog closes it after {@link #WRITE_STALL_NANOS}. Neither case ever waits on or slows the
 * source or another listener.
 */
final class ListenerStream {

    /** A write that has not completed in this time belongs to a listener that stopped reading. */
    static final long WRITE_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ConnectionContext ctx;
    private final ConnectionWatchdog.Deadline deadline;
    private final BooleanSupplier closed;
    /** Made once: a method reference per chunk would be one more allocation per listener per chunk. */
    private final ListenerOutput output = this::write;

    /**
     * @param closed whether the connection was closed from another thread (kick, shutdown): a parked
     *               listener is nudged awake and must then stop without waiting for its next write to fail
     */
    ListenerStream(ConnectionContext ctx, ConnectionWatchdog.Deadline deadline, BooleanSupplier closed) {
        this.closed = closed;
        this.ctx = ctx;
        this.deadline = deadline;
    }

    /** The head a listener gets: Icecast's fixed block, the source's icy-* lines, maybe icy-metaint. */
    static byte[] head(SourceInfo source, int metaint) {
        IcecastResponse response = IcecastResponse.of(200, "OK", source.contentType(), false);
        source.header("ice-audio-info").ifPresent(info -> response.header("ice-audio-info", info));
        for (Map.Entry<String, String> line : IcyHeaders.forListener(source).entrySet()) {
            response.rawHeader(line.getKey() + ":" + line.getValue());
        }
        if (metaint > 0) {
            response.rawHeader("icy-metaint:" + metaint);
        }
        return response.head();
    }

    /**
     * Streams until the end. Returns normally when the stream ended or the listener was dropped;
     * throws when the socket failed (the listener left).
     */
    void stream(ListenerFeed feed) throws InterruptedException {
        while (!closed.getAsBoolean()) {
            switch (feed.sendNext(output)) {
                case SENT -> { }
                case CAUGHT_UP -> feed.await();
                case ENDED, TOO_SLOW -> {
                    return;
                }
            }
        }
    }

    private void write(byte[] bytes, int offset, int length) {
        deadline.arm(WRITE_STALL_NANOS);
        // createReadOnly, not create(bytes, off, len): the latter writes the wrong range in Helidon 4.2.0
        ctx.dataWriter().writeNow(BufferData.createReadOnly(bytes, offset, length));
        deadline.disarm();
    }
}
