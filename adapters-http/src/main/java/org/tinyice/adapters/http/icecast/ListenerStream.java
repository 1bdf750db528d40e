package org.tinyice.adapters.http.icecast;

import io.helidon.webserver.ConnectionContext;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.application.port.in.ListenerFeed;
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
