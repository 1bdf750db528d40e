package org.tinyice.adapters.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.tinyice.adapters.http.api.ApiHttpService;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.icecast.IcecastConnectionSelector;
import org.tinyice.adapters.http.icecast.IcecastProtocol;
import org.tinyice.adapters.http.icecast.ShoutcastPorts;
import org.tinyice.adapters.http.observe.ServerMetrics;

/**
 * The one HTTP port: Icecast traffic (sources, listeners, status, admin commands) through
 * {@link IcecastConnectionSelector}, everything else (health, metrics, APIs) through Helidon's routing.
 */
public final class TinyIceHttpServer implements AutoCloseable {

    /**
     * Kernel send buffer per connection. Bounded so that a listener who stops reading blocks our write
     * within a few seconds (and the watchdog can drop it) instead of the kernel buffering megabytes.
     */
    static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final WebServer server;
    private final IcecastConnectionSelector icecast;
    private final ServerMetrics metrics;
    private final ShoutcastPorts shoutcast;
    /** The public port after {@link #acceptOn}; 0 before. */
    private volatile int adoptedPort;

    /**
     * @param ready        whether the server is ready for sources and listeners ({@code /readyz})
     * @param extraMetrics more server-wide values for {@code /metrics}, by name
     */
    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol, ApiHttpService api,
                             BooleanSupplier ready, Map<String, LongSupplier> extraMetrics) {
        this(host, port, protocol, api, List.of(), ready, extraMetrics);
    }

    /**
     * @param pages the dashboard ({@code /admin}) and the public pages ({@code /}, {@code /events},
     *              {@code /static/...}), each with the path prefix it is registered under ("" for none)
     */
    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol, ApiHttpService api,
                             List<Map.Entry<String, HttpService>> pages,
                             BooleanSupplier ready, Map<String, LongSupplier> extraMetrics) {
        this.icecast = new IcecastConnectionSelector(protocol);
        this.shoutcast = icecast.shoutcastPorts(SEND_BUFFER_BYTES);
        this.metrics = new ServerMetrics(Metrics.globalRegistry(), protocol.status(), icecast::refusedPerAddress,
                extraMetrics);
        this.server = WebServer.builder()
                .host(host)
                .port(port)
                .backlog(8192)
                .shutdownGracePeriod(Duration.ofSeconds(1))
                .connectionOptions(SocketOptions.builder()
                        .socketSendBufferSize(SEND_BUFFER_BYTES)
                        .tcpNoDelay(true)
                        .build())
                // Helidon's default receive buffer for accepted sockets is small; sources push audio in
                .putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024)
                // lets a new binary start on the same port before the old one stops
                .putListenerSocketOption(StandardSocketOptions.SO_REUSEPORT, true)
                // the selector must be the only one, or Helidon reads the first bytes without a timeout
                // before any of our deadlines can see the connection (see IcecastConnectionSelector)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(icecast)
                .addFeature(ObserveFeature.just(MetricsObserver.builder().endpoint("/metrics").build()))
                .routing(routing -> {
                    // Icecast's selector classifies a connection by its first request: a browser or proxy
                    // reusing a kept-alive page connection for a stream (the player's <audio>) would get
                    // this routing's 404. So every routed answer ends its connection, and the next request
                    // is classified afresh. (Helidon keeps a connection open whatever the response's
                    // Connection header says; this exception is its way to close one after the answer.)
                    routing.addFilter((chain, req, res) -> {
                        res.header(HeaderValues.CONNECTION_CLOSE);
                        icecast.whileRouted(chain::proceed);
                        throw new CloseConnectionException("one request per routed connection");
                    });
                    routes(routing, api, pages, ready);
                })
                .build();
    }

    /**
     * Every route Helidon serves, apart from {@code /metrics} (the observe feature's). Only requests that
     * {@code IcecastRequests} leaves to Helidon ever reach them; {@code RoutedPathsTest} checks the two agree.
     */
    public static void routes(HttpRules routing, ApiHttpService api, List<Map.Entry<String, HttpService>> pages,
                              BooleanSupplier ready) {
        routing.register("/api", api);
        for (Map.Entry<String, HttpService> page : pages) {
            if (page.getKey().isEmpty()) {
                routing.register(page.getValue());
            } else {
                routing.register(page.getKey(), page.getValue());
            }
        }
        routing.get("/healthz", (req, res) -> res.send("ok\n"))
                .get("/readyz", (req, res) -> {
                    if (ready.getAsBoolean()) {
                        res.send("ready\n");
                    } else {
                        res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready\n");
                    }
                });
    }

    public TinyIceHttpServer start() {
        HelidonListeningSocket.check();
        server.start();
        if (!server.isRunning()) {
            throw new IllegalStateException("the server did not start (is the port in use?)");
        }
        return this;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    public int port() {
        int adopted = adoptedPort;
        return adopted > 0 ? adopted : server.port();
    }

    /**
     * A descriptor of the socket this server accepts on, for the process that takes over (the caller
     * sends it and closes it). Accepting goes on here until {@link #stopAccepting()}.
     */
    public int duplicateListeningSocket() throws IOException {
        return SocketDescriptors.duplicate(SocketDescriptors.descriptorOf(HelidonListeningSocket.of(server)));
    }

    /**
     * Makes this server accept on {@code listening}, a listening socket received from the process it
     * takes over (which keeps accepting on it until it is told to stop: both accept from one queue, so
     * no connection waits on a socket that is about to close). The server was started on a loopback
     * port of its own (nobody knows it, so nobody is in its queue); its descriptor is replaced by the
     * received socket in one {@code dup2}, and one connection to the old port wakes Helidon's accept
     * call, which still waits on the old socket. Takes {@code listening} (closes it).
     *
     * @param port the public port {@code listening} is bound to, which {@link #port()} reports from now on
     */
    public void acceptOn(int listening, int port) throws IOException {
        java.net.ServerSocket own = HelidonListeningSocket.of(server);
        int ownPort = own.getLocalPort();
        try {
            SocketDescriptors.replace(SocketDescriptors.descriptorOf(own), listening);
        } finally {
            SocketDescriptors.closeDescriptor(listening);
        }
        adoptedPort = port;
        try (java.net.Socket wake = new java.net.Socket()) {
            wake.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), ownPort), 2_000);
        } catch (IOException alreadyAccepting) {
            // Helidon was between two accepts: the loopback socket is gone and it accepts on the new one
        }
    }

    /**
     * Accepts again on {@code listening} (a descriptor of the socket this server gave away, kept for this
     * case) after a take-over failed half way: Helidon binds afresh, and its socket is replaced by the
     * kept one as in {@link #acceptOn}. Takes {@code listening}.
     */
    public void resumeAccepting(int listening) throws IOException {
        int port = port(); // before Helidon binds afresh: with --port 0 that socket gets another port
        HelidonListeningSocket.resumeAccepting(server);
        acceptOn(listening, port);
    }

    /** Stops accepting new connections (another process accepts on the socket now); the open ones go on. */
    public void stopAccepting() throws IOException {
        HelidonListeningSocket.stopAccepting(server);
    }

    /** Icecast's side of the port: its write engine and its sources, which a take-over moves. */
    public IcecastConnectionSelector icecast() {
        return icecast;
    }

    /** The SHOUTcast v1 ports; {@link ShoutcastPorts#sync} opens them (at start and on reload). */
    public ShoutcastPorts shoutcast() {
        return shoutcast;
    }

    @Override
    public void close() {
        shoutcast.close();
        server.stop();
        icecast.close();
        metrics.close();
    }
}
