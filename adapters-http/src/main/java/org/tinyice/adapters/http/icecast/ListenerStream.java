package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.out.ListenerOutput;
import org.tinyice.domain.mount.SourceInfo;

/**
 * A listener's connection after admission: Icecast's response head, then the connection handed to
 * TinyIce's write engine ({@link FanOutEngine}), which writes whatever the listener's
 * {@link ListenerFeed} gives it until the feed ends or the listener goes away. What is sent and when a
 * slow listener is dropped is the feed's business.
 *
 * <p>The hand-over: the engine gets a channel on a duplicate of the socket's descriptor
 * ({@link SocketDescriptors#duplicate}), and the connection's handler returns, so Helidon closes its
 * own descriptor and frees the virtual thread and its buffers; the TCP connection stays open on the
 * duplicate. A listener that stops reading is closed by the engine after {@link #WRITE_STALL_NANOS}.
 *
 * <p>Only a plain TCP connection can be handed over ({@link #engineCanTake}): on a TLS connection the
 * bytes must go through its SSLEngine, which lives in Helidon's socket, so a TLS listener is written
 * by its own virtual thread through Helidon's connection ({@link #streamHere}), as every listener was
 * before the engine.
 */
final class ListenerStream {

    /** A write that has not completed in this time belongs to a listener that stopped reading. */
    static final long WRITE_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ListenerStream() {
    }

    /**
     * The head a listener gets: Icecast's fixed block, the source's icy-* lines, maybe icy-metaint, and
     * on a low-latency mount {@code X-Accel-Buffering: no}, so that an nginx in front passes audio on
     * as it comes instead of buffering it.
     */
    static byte[] head(SourceInfo source, int metaint, boolean lowLatency) {
        IcecastResponse response = IcecastResponse.of(200, "OK", source.contentType(), false);
        source.header("ice-audio-info").ifPresent(info -> response.header("ice-audio-info", info));
        for (Map.Entry<String, String> line : IcyHeaders.forListener(source).entrySet()) {
            response.rawHeader(line.getKey() + ":" + line.getValue());
        }
        if (metaint > 0) {
            response.rawHeader("icy-metaint:" + metaint);
        }
        if (lowLatency) {
            response.header("X-Accel-Buffering", "no");
        }
        return response.head();
    }

    /**
     * Whether the write engine can take this listener's connection: the one rule of which listeners it
     * serves. It writes the socket's descriptor directly, so a TLS connection (whose bytes must be
     * encrypted first) would get plaintext.
     */
    static boolean engineCanTake(ConnectionContext ctx) {
        return !ctx.isSecure();
    }

    /** How long a caught-up listener waits for a wake-up before it looks whether it was closed meanwhile. */
    private static final long WAIT_SLICE_MILLIS = 1000;

    /**
     * Streams on the calling (connection's virtual) thread through Helidon's connection, until the feed
     * ends, the listener is too slow, or a write fails (the listener left, or the watchdog closed a
     * write that stalled: {@code deadline.fired()} then tells).
     */
    static void streamHere(ConnectionContext ctx, ListenerFeed feed, ConnectionWatchdog.Deadline deadline)
            throws InterruptedException {
        Semaphore woken = new Semaphore(0);
        Runnable wake = woken::release;
        ListenerOutput output = (bytes, offset, length) -> {
            deadline.arm(WRITE_STALL_NANOS);
            // createReadOnly, not create(bytes, off, len): the latter writes the wrong range in Helidon 4.2.0
            ctx.dataWriter().writeNow(BufferData.createReadOnly(bytes, offset, length));
            deadline.disarm();
        };
        while (ctx.serverSocket().isConnected()) {
            switch (feed.sendNext(output)) {
                case SENT -> { }
                case CAUGHT_UP -> {
                    if (feed.wakeWhenReady(wake)) {
                        woken.tryAcquire(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                    }
                }
                case ENDED, TOO_SLOW -> {
                    return;
                }
            }
        }
    }

    /**
     * Hands the connection (its head sent) to the engine; the caller then returns from the connection's
     * handler. {@code onEnd} runs once, on a writer thread, when the listener ends.
     */
    static FanOutEngine.Attached handOver(ConnectionContext ctx, FanOutEngine engine, ListenerFeed feed,
                                          Consumer<FanOutEngine.Ending> onEnd) throws IOException {
        SocketChannel channel = SocketDescriptors.duplicate(HelidonSockets.socketOf(ctx.serverSocket()));
        try {
            return engine.attach(channel, feed, onEnd);
        } catch (IOException | RuntimeException e) {
            SocketDescriptors.closeGracefully(channel); // lingering back on: Helidon's close then ends it cleanly
            throw e;
        }
    }
}
