package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.tinyice.adapters.http.observe.StreamCounters;
import org.tinyice.application.port.in.ListenUseCase.ListenerSession;
import org.tinyice.domain.icy.IcyInterleaver;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.CodecHeaders;
import org.tinyice.domain.stream.RingCursor;

/**
 * Sends one mount to one listener: Icecast's response head, then the burst, then the live stream,
 * on the connection's own virtual thread, until the source leaves or the listener goes away.
 *
 * <p>A listener that stops reading fills its (bounded) socket send buffer, its write blocks, and the
 * watchdog closes it after {@link #WRITE_STALL_NANOS}. A listener that is merely slow falls behind in
 * the ring; when the ring laps it, it skips to the live edge, and after {@link #MAX_LAPS} laps it is
 * dropped. Neither case ever waits on or slows the source or another listener.
 */
final class ListenerStream {

    /** A write that has not completed in this time belongs to a listener that stopped reading. */
    static final long WRITE_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int MAX_LAPS = 3;

    private final ConnectionContext ctx;
    private final ConnectionWatchdog.Deadline deadline;

    private final StreamCounters counters;

    private final BooleanSupplier closed;

    /**
     * @param closed whether the connection was closed from another thread (kick, shutdown): a parked
     *               listener is nudged awake and must then stop without waiting for its next write to fail
     */
    ListenerStream(ConnectionContext ctx, ConnectionWatchdog.Deadline deadline, StreamCounters counters,
                   BooleanSupplier closed) {
        this.closed = closed;
        this.ctx = ctx;
        this.deadline = deadline;
        this.counters = counters;
    }

    /** The head a listener gets: Icecast's fixed block, the source's icy-* lines, maybe icy-metaint. */
    static byte[] head(Mount mount, boolean icyMetadata) {
        IcecastResponse response = IcecastResponse.of(200, "OK", mount.source().contentType(), false);
        mount.source().header("ice-audio-info").ifPresent(info -> response.header("ice-audio-info", info));
        for (Map.Entry<String, String> line : IcyHeaders.forListener(mount.source()).entrySet()) {
            response.rawHeader(line.getKey() + ":" + line.getValue());
        }
        if (icyMetadata) {
            response.rawHeader("icy-metaint:" + IcyInterleaver.DEFAULT_METAINT);
        }
        return response.head();
    }

    /**
     * Streams until the end. Returns normally when the stream ended or the listener was dropped;
     * throws when the socket failed (the listener left).
     */
    void stream(ListenerSession session, boolean icyMetadata) throws InterruptedException {
        Mount mount = session.mount();
        Listener listener = session.listener();
        RingCursor cursor = session.cursor();
        IcyInterleaver icy = icyMetadata ? new IcyInterleaver(IcyInterleaver.DEFAULT_METAINT) : null;
        IcyInterleaver.SliceSink sink = (bytes, offset, length) -> write(bytes, offset, length);
        boolean first = true;
        int lapsSeen = 0;
        while (!closed.getAsBoolean()) {
            if (session.followMove()) {
                // moved to another mount on the same connection (admin, fallback): no new head, as Icecast
                mount = session.mount();
                cursor = session.cursor();
                first = true;
                lapsSeen = 0;
            }
            Chunk chunk = cursor.next();
            if (chunk == null) {
                if (cursor.laps() != lapsSeen) {
                    lapsSeen = cursor.laps();
                    listener.laps(lapsSeen);
                    counters.lapped();
                    if (lapsSeen > MAX_LAPS) {
                        counters.droppedTooSlow();
                        return; // too slow for this stream, even after skipping ahead
                    }
                    continue;
                }
                if (cursor.streamEnded()) {
                    if (listener.hasMoveRequest()) {
                        continue; // the source left and its fallback takes over: followed at the top
                    }
                    return;
                }
                cursor.await();
                continue;
            }
            if (first) {
                first = false;
                CodecHeaders headers = chunk.headers();
                if (headers != null && headers.neededBefore(chunk)) {
                    write(headers.pages(), 0, headers.pages().length);
                }
            }
            if (icy != null) {
                icy.interleave(chunk.bytes(), 0, chunk.length(), chunk.title(), sink);
            } else {
                write(chunk.bytes(), 0, chunk.length());
            }
            listener.sent(chunk.length());
            mount.countSent(chunk.length());
        }
    }

    private void write(byte[] bytes, int offset, int length) {
        deadline.arm(WRITE_STALL_NANOS);
        // createReadOnly, not create(bytes, off, len): the latter writes the wrong range in Helidon 4.2.0
        ctx.dataWriter().writeNow(BufferData.createReadOnly(bytes, offset, length));
        deadline.disarm();
    }
}
