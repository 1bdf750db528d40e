package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;
import org.tinyice.adapters.http.observe.AccessLog;
import org.tinyice.adapters.http.observe.StreamCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims Icecast traffic before Helidon's HTTP/1 selector sees it (custom selectors are asked
 * first, with the connection's first read). Ordinary HTTP/1.1 requests for the dashboard and APIs
 * are left to Helidon. When the first read holds no complete request line we claim the connection
 * anyway and decide once the line is in ({@link IcecastConnection} hands it back to HTTP/1 if it
 * is not ours): Helidon's HTTP/1 selector would otherwise claim it in the same pass.
 */
public final class IcecastConnectionSelector implements ServerConnectionSelector {

    /** How often deadlines (header, source idle, stalled write: all seconds long) are checked. */
    private static final long DEADLINE_SWEEP_MILLIS = 500;
    /** How often a paused encoder's held-back audio is flushed: bounds the extra latency of a pause. */
    private static final long SOURCE_TICK_MILLIS = 100;

    private final IcecastProtocol protocol;
    private final ConnectionWatchdog watchdog;
    /** Connections Icecast's way counts them ({@code connections} in {@code /admin/stats}). */
    private final AtomicLong connections = new AtomicLong();
    private final ServerConnectionSelector http1 = Http1ConnectionSelector.builder()
            .config(Http1Config.create())
            .build();

    private final StreamCounters counters;
    private final AccessLog accessLog;

    public IcecastConnectionSelector(IcecastProtocol protocol, StreamCounters counters) {
        this.protocol = protocol;
        this.counters = counters;
        this.accessLog = new AccessLog(protocol.addresses());
        this.watchdog = new ConnectionWatchdog(DEADLINE_SWEEP_MILLIS, SOURCE_TICK_MILLIS);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        int length = data.available();
        byte[] bytes = new byte[Math.min(length, RequestHeadReader.MAX_HEAD_BYTES)];
        data.read(bytes);
        String line = RequestHeadReader.firstLine(bytes, bytes.length);
        if (line == null) {
            return Support.SUPPORTED;
        }
        return IcecastRequests.isIcecast(line) ? Support.SUPPORTED : Support.UNSUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new IcecastConnection(ctx, protocol, watchdog, http1, connections, counters, accessLog);
    }

    /** Stops the watchdog thread (server shutdown). */
    public void close() {
        watchdog.close();
    }
}
