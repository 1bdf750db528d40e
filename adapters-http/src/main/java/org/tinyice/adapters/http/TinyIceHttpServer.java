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
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.tinyice.adapters.http.api.ApiHttpService;
import org.tinyice.adapters.http.icecast.IcecastConnectionSelector;
import org.tinyice.adapters.http.icecast.IcecastProtocol;
import org.tinyice.adapters.http.icecast.ShoutcastPorts;
import org.tinyice.adapters.http.observe.ServerMetrics;
import org.tinyice.application.port.in.FaultsQuery;

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

    /**
     * @param ready        whether the server is ready for sources and listeners ({@code /readyz})
     * @param extraMetrics more server-wide values for {@code /metrics}, by name
     */
    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol, ApiHttpService api,
                             BooleanSupplier ready, Map<String, LongSupplier> extraMetrics) {
        this(host, port, protocol, api, List.of(), ready, List::of, extraMetrics);
    }

    /**
     * @param pages the dashboard ({@code /admin}) and the public pages ({@code /}, {@code /events},
     *              {@code /static/...}), each with the path prefix it is registered under ("" for none)
     * @param faults what fails while the server streams on, listed by {@code /readyz}
     */
    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol, ApiHttpService api,
                             List<Map.Entry<String, HttpService>> pages,
                             BooleanSupplier ready, FaultsQuery faults, Map<String, LongSupplier> extraMetrics) {
        this.icecast = new IcecastConnectionSelector(protocol);
        this.shoutcast = icecast.shoutcastPorts(SEND_BUFFER_BYTES);
        this.metrics = new ServerMetrics(Metrics.globalRegistry(), protocol.status(), icecast::refusedPerAddress,
                icecast::refusedByAddressLists, extraMetrics);
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
                    routes(routing, api, pages, ready, faults);
                })
                .build();
    }

    /**
     * Every route Helidon serves, apart from {@code /metrics} (the observe feature's). Only requests that
     * {@code IcecastRequests} leaves to Helidon ever reach them; {@code RoutedPathsTest} checks the two agree.
     */
    public static void routes(HttpRules routing, ApiHttpService api, List<Map.Entry<String, HttpService>> pages,
                              BooleanSupplier ready, FaultsQuery faults) {
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
                    List<FaultsQuery.Fault> now = faults.faults();
                    if (ready.getAsBoolean() && !now.isEmpty()) {
                        // still 200: the server streams on, and a load balancer that took a degraded but
                        // only server out of rotation would take the station off the air over its history
                        StringBuilder body = new StringBuilder("ready, degraded\n");
                        for (FaultsQuery.Fault fault : now) {
                            body.append(fault.part()).append(" fails since ").append(fault.since()).append(": ")
                                    .append(fault.problem().replace('\n', ' ')).append('\n');
                        }
                        res.send(body.toString());
                    } else if (ready.getAsBoolean()) {
                        res.send("ready\n");
                    } else {
                        res.status(Status.SERVICE_UNAVAILABLE_503).send("not ready\n");
                    }
                });
    }

    public TinyIceHttpServer start() {
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
        return server.port();
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
