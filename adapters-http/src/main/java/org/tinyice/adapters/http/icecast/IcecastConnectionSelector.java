package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.util.Set;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.takeover.HandableSources;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.observe.AccessLog;
import org.tinyice.application.port.in.ListenUseCase.ListenerSession;
import org.tinyice.application.port.in.ListenerFeed;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's one connection selector: every accepted connection becomes an {@link IcecastConnection},
 * which serves Icecast traffic itself and hands ordinary HTTP/1.1 requests (dashboard, APIs) to
 * Helidon's HTTP/1 connection once their request line is in.
 *
 * <p>Why the only one: with two or more selectors Helidon 4.2.0 first blocks in a read of the first
 * bytes (ConnectionHandler.identifyConnection) with no timeout, before any selector or its idle timer
 * sees the connection, so a client that connects and sends nothing holds a socket forever. With a
 * single selector it hands over the connection at accept, and the header deadline starts there.
 * The server must therefore be built without Helidon's discovered protocols
 * ({@code protocolsDiscoverServices(false)}).
 */
public final class IcecastConnectionSelector implements ServerConnectionSelector {

    /** How often deadlines (header, source idle, a response head not taken: all seconds long) are checked. */
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

    private final AccessLog accessLog;
    private final ConnectionsPerAddress perAddress = new ConnectionsPerAddress();
    /** Connections closed because their client is banned or not on an allow list ({@code banned_ips}, ...). */
    private final LongAdder refusedByAddress = new LongAdder();
    /** Writes every listener's socket once its response head is sent. */
    private final FanOutEngine engine;
    /** Sources a take-over can move to the new process. */
    private final HandableSources handable = new HandableSources();
    /** The HTTPS port's handshakes under way, once {@link #httpsSocketOptions} made them watched. */
    private volatile TlsHandshakeDeadlines handshakes;

    public IcecastConnectionSelector(IcecastProtocol protocol) {
        // before anything starts: a JVM without the access the hand-over needs must not serve at all
        SocketDescriptors.check();
        HelidonSockets.check();
        this.engine = new FanOutEngine(FanOutEngine.defaultThreads(), ListenerStream.WRITE_STALL_NANOS);
        this.protocol = protocol;
        this.accessLog = new AccessLog(protocol.addresses());
        this.watchdog = new ConnectionWatchdog(DEADLINE_SWEEP_MILLIS, SOURCE_TICK_MILLIS);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    /** Never asked while this is the only selector; every connection is ours if it is. */
    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED;
    }

    /**
     * On the HTTPS port a client that offers ALPN (curl, browsers: {@code http/1.1}; {@code curl -0}:
     * {@code http/1.0}) is given to the selector that declares the negotiated protocol, without
     * {@link #supports} being asked; declaring both keeps every TLS connection here, where its first
     * line decides between Icecast and routing as on the plain port.
     */
    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of("http/1.1", "http/1.0");
    }

    /**
     * The end of a listener a take-over brought here: its access-log line when it ends (with the request it
     * made to the process it came from), leaving its mount.
     */
    public ListenerEnd continuedListenerEnd(ListenerEnd.Request request, ListenerSession session, ListenerFeed feed) {
        return new ListenerEnd(accessLog, protocol.clock(), request, session, feed);
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        TlsHandshakeDeadlines watched = handshakes;
        if (watched != null && ctx.isSecure()) {
            watched.handshakeDone(ctx.remotePeer().address());
        }
        return new IcecastConnection(ctx, protocol, watchdog, http1, connections, accessLog, perAddress, engine,
                handable, refusedByAddress);
    }

    /**
     * Runs a routed request's handling with its connection's header deadline off (the head is in, and an
     * event stream may last hours), then arms it again: a connection that outlives its answer must send
     * its next head within {@code limits.header_timeout} like any other. Call from a routing filter.
     */
    public void whileRouted(Runnable handling) {
        if (!IcecastConnection.ROUTED.isBound()) {
            handling.run();
            return;
        }
        ConnectionWatchdog.Deadline deadline = IcecastConnection.ROUTED.get();
        deadline.disarm();
        try {
            handling.run();
        } finally {
            deadline.arm(protocol.config().get().limits().headerTimeout().toNanos());
        }
    }

    /**
     * The HTTPS port's accepted-socket options: {@code options}, and a TLS handshake that does not finish
     * within {@code limits.header_timeout} closed ({@link TlsHandshakeDeadlines}).
     */
    public SocketOptions httpsSocketOptions(SocketOptions options) {
        TlsHandshakeDeadlines watched = new TlsHandshakeDeadlines(options, watchdog,
                () -> protocol.config().get().limits().headerTimeout());
        handshakes = watched;
        return watched;
    }

    /** Connections closed at accept since start because their address held {@code limits.max_connections_per_address}. */
    public long refusedPerAddress() {
        return perAddress.refused();
    }

    /** Connections closed since start because their client is banned, or not on an allow list. */
    public long refusedByAddressLists() {
        return refusedByAddress.sum();
    }

    /**
     * The {@code "shoutcast"} ports, sharing this selector's watchdog and per-address count (an address's
     * connections count together, whichever port they came to) and its list of the sources a take-over moves.
     */
    public ShoutcastPorts shoutcastPorts(int sendBufferBytes) {
        return new ShoutcastPorts(protocol, watchdog, perAddress, refusedByAddress, handable, sendBufferBytes);
    }

    /** The listener write engine: a take-over lets go of its listeners and gives it the new ones. */
    public FanOutEngine engine() {
        return engine;
    }

    /** The sources a take-over can move. */
    public HandableSources handableSources() {
        return handable;
    }

    /** Listeners the write engine serves now. */
    public int streamingListeners() {
        return engine.listeners();
    }

    /** Ends every listener (their stats and history recorded) and stops the writer and watchdog threads (shutdown). */
    public void close() {
        engine.close();
        watchdog.close();
    }
}
