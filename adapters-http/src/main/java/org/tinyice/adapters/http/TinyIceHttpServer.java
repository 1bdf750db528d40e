package org.tinyice.adapters.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tinyice.adapters.http.api.ApiHttpService;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.icecast.IcecastConnectionSelector;
import org.tinyice.adapters.http.icecast.IcecastProtocol;
import org.tinyice.adapters.http.icecast.ShoutcastPorts;
import org.tinyice.adapters.http.observe.ServerMetrics;
import org.tinyice.application.port.in.FaultsQuery;
import org.tinyice.adapters.http.tls.AcmeCertificates;
import org.tinyice.adapters.http.tls.CertificateFiles;
import org.tinyice.adapters.http.tls.HttpsCertificates;
import org.tinyice.adapters.http.tls.HttpsRedirect;
import org.tinyice.application.config.ServerConfig;

/**
 * The HTTP port, and the HTTPS port when configured (the same selector and routes behind TLS):
 * Icecast traffic (sources, listeners, status, admin commands) through
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
    private final HttpsCertificates https;
    private final Supplier<ServerConfig> config;

    /** Helidon's name for the HTTPS listener ({@code WebServer.reloadTls} finds it by this). */
    static final String HTTPS_SOCKET = "https";

    /** Helidon's name for the listener on {@code acme.challenge_port}, when that is another port. */
    static final String CHALLENGE_SOCKET = "acme-challenge";
    /** The public port after {@link #acceptOn}; 0 before. */
    private volatile int adoptedPort;
    /** The HTTPS port after {@link #acceptOn}; 0 before. */
    private volatile int adoptedHttpsPort;

    /**
     * @param ready        whether the server is ready for sources and listeners ({@code /readyz})
     * @param extraMetrics more server-wide values for {@code /metrics}, by name
     */
    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol, ApiHttpService api,
                             BooleanSupplier ready, Map<String, LongSupplier> extraMetrics) {
        this(host, port, protocol, api, List.of(), ready, List::of, extraMetrics, HttpsCertificates.none(), false);
    }

    /**
     * @param pages the dashboard ({@code /admin}) and the public pages ({@code /}, {@code /events},
     *              {@code /static/...}), each with the path prefix it is registered under ("" for none)
     * @param faults what fails while the server streams on, listed by {@code /readyz}
     * @param takingOver whether this process takes over from a running one ({@link #acceptOn}): its HTTPS
     *                   port, too, then starts on a loopback port nobody knows (the caller picks the plain one)
     */
    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol, ApiHttpService api,
                             List<Map.Entry<String, HttpService>> pages,
                             BooleanSupplier ready, FaultsQuery faults, Map<String, LongSupplier> extraMetrics,
                             HttpsCertificates https, boolean takingOver) {
        this.https = https;
        this.config = protocol.config();
        this.icecast = new IcecastConnectionSelector(protocol);
        this.shoutcast = icecast.shoutcastPorts(SEND_BUFFER_BYTES);
        this.metrics = new ServerMetrics(Metrics.globalRegistry(), protocol.status(), protocol.hls(),
                icecast::refusedPerAddress, icecast::refusedByAddressLists, extraMetrics);
        SocketOptions connectionOptions = SocketOptions.builder()
                .socketSendBufferSize(SEND_BUFFER_BYTES)
                .tcpNoDelay(true)
                .build();
        var builder = WebServer.builder()
                .host(host)
                .port(port)
                .backlog(8192)
                .shutdownGracePeriod(Duration.ofSeconds(1))
                .connectionOptions(connectionOptions)
                // Helidon's default receive buffer for accepted sockets is small; sources push audio in
                .putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024)
                // lets a new binary start on the same port before the old one stops
                .putListenerSocketOption(StandardSocketOptions.SO_REUSEPORT, true)
                // the selector must be the only one, or Helidon reads the first bytes without a timeout
                // before any of our deadlines can see the connection (see IcecastConnectionSelector)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(icecast)
                .addFeature(ObserveFeature.builder()
                        .addObserver(MetricsObserver.builder().endpoint("/metrics").build())
                        .sockets(https.config().isPresent() ? List.of("@default", HTTPS_SOCKET) : List.of("@default"))
                        .build())
                .routing(routing -> routing(routing, api, pages, ready, faults));
        https.config().ifPresent(secure -> builder.putSocket(HTTPS_SOCKET, listener -> listener
                .host(takingOver ? "127.0.0.1" : host)
                .port(takingOver ? 0 : secure.port())
                .backlog(8192)
                .shutdownGracePeriod(Duration.ofSeconds(1))
                .connectionOptions(icecast.httpsSocketOptions(connectionOptions))
                .putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024)
                .putListenerSocketOption(StandardSocketOptions.SO_REUSEPORT, true)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(icecast)
                .tls(https.files().orElseThrow().current().tls())
                .routing(routing -> routing(routing, api, pages, ready, faults))));
        // the CA asks on port 80 by definition; a server whose plain port is another answers there too
        https.challengePort(port).ifPresent(challengePort -> builder.putSocket(CHALLENGE_SOCKET, listener -> listener
                .host(host)
                .port(challengePort)
                .putListenerSocketOption(StandardSocketOptions.SO_REUSEPORT, true)
                .routing(routing -> acmeChallenges(routing, https::challengeAnswer))));
        this.server = builder.build();
    }

    private static final HeaderName STRICT_TRANSPORT_SECURITY =
            HeaderNames.create("Strict-Transport-Security");

    private void routing(HttpRouting.Builder routing, ApiHttpService api,
                         List<Map.Entry<String, HttpService>> pages, BooleanSupplier ready, FaultsQuery faults) {
        // Icecast's selector classifies a connection by its first request: a browser or proxy
        // reusing a kept-alive page connection for a stream (the player's <audio>) would get
        // this routing's 404. So every routed answer ends its connection, and the next request
        // is classified afresh. (Helidon keeps a connection open whatever the response's
        // Connection header says; this exception is its way to close one after the answer.)
        routing.addFilter((chain, req, res) -> {
            res.header(HeaderValues.CONNECTION_CLOSE);
            if (req.isSecure()) {
                res.header(STRICT_TRANSPORT_SECURITY, HttpsRedirect.HSTS);
            } else {
                Optional<String> https = HttpsRedirect.forPage(config.get().tls(), req.prologue().method().text(),
                        req.path().rawPath(), req.prologue().uriPath().rawPath()
                                + (req.query().rawValue().isEmpty() ? "" : "?" + req.query().rawValue()),
                        req.headers().first(HeaderNames.HOST), req.headers().first(HeaderNames.ACCEPT));
                if (https.isPresent()) {
                    res.status(Status.MOVED_PERMANENTLY_301).header(HeaderNames.LOCATION, https.get()).send();
                    throw new CloseConnectionException("one request per routed connection");
                }
            }
            icecast.whileRouted(chain::proceed);
            throw new CloseConnectionException("one request per routed connection");
        });
        // Helidon's own answers (404 for a path no route takes, 400 for a body it cannot read) are
        // written by its error handling inside the chain, with fresh headers saying "Connection:
        // keep-alive", on a connection the filter then closes: a client that reuses it (the JDK's
        // HttpClient, a browser's next POST) would send its request into a dead socket.
        routing.error(HttpException.class, (req, res, e) -> res.status(e.status())
                .header(HeaderValues.CONNECTION_CLOSE)
                .header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN)
                .send(e.status().reasonPhrase() + "\n"));
        routes(routing, api, pages, ready, faults, https::challengeAnswer);
    }

    /** ACME's HTTP-01 answers: the key authorization of a token the CA was given, as plain text. */
    private static void acmeChallenges(HttpRules routing, Function<String, Optional<String>> challenges) {
        routing.get(AcmeCertificates.CHALLENGE_PREFIX + "{token}", (req, res) -> {
            Optional<String> answer = challenges.apply(req.path().pathParameters().get("token"));
            if (answer.isPresent()) {
                res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream").send(answer.get());
            } else {
                res.status(Status.NOT_FOUND_404).send("no such challenge\n");
            }
        });
    }

    /**
     * Every route Helidon serves, apart from {@code /metrics} (the observe feature's). Only requests that
     * {@code IcecastRequests} leaves to Helidon ever reach them; {@code RoutedPathsTest} checks the two agree.
     */
    public static void routes(HttpRules routing, ApiHttpService api, List<Map.Entry<String, HttpService>> pages,
                              BooleanSupplier ready, FaultsQuery faults) {
        routes(routing, api, pages, ready, faults, token -> Optional.empty());
    }

    /** @param challenges the answers to ACME HTTP-01 tokens ({@link HttpsCertificates#challengeAnswer}) */
    public static void routes(HttpRules routing, ApiHttpService api, List<Map.Entry<String, HttpService>> pages,
                              BooleanSupplier ready, FaultsQuery faults, Function<String, Optional<String>> challenges) {
        acmeChallenges(routing, challenges);
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
        HelidonListeningSocket.check();
        server.start();
        if (!server.isRunning()) {
            throw new IllegalStateException("the server did not start (is the port in use?)");
        }
        if (https.config().isPresent() && server.port(HTTPS_SOCKET) < 0) {
            server.stop();
            throw new IllegalStateException("the HTTPS port " + https.config().get().port() + " did not open (in use?)");
        }
        https.files().ifPresent(files -> files.watch(tls -> server.reloadTls(HTTPS_SOCKET, tls)));
        https.acme().ifPresent(AcmeCertificates::start);
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
     * Descriptors of the sockets this server accepts on, for the process that takes over (the caller sends
     * them and closes them): the plain port's, then the HTTPS port's if there is one. Accepting goes on here
     * until {@link #stopAccepting()}.
     */
    public int[] duplicateListeningSockets() throws IOException {
        int plain = duplicate(WebServer.DEFAULT_SOCKET_NAME);
        if (https.config().isEmpty()) {
            return new int[] {plain};
        }
        try {
            return new int[] {plain, duplicate(HTTPS_SOCKET)};
        } catch (IOException | RuntimeException e) {
            SocketDescriptors.closeDescriptor(plain);
            throw e;
        }
    }

    private int duplicate(String socketName) throws IOException {
        return SocketDescriptors.duplicate(SocketDescriptors.descriptorOf(HelidonListeningSocket.of(server, socketName)));
    }

    /**
     * Makes this server accept on {@code listening}, the listening sockets received from the process it
     * takes over (which keeps accepting on them until it is told to stop: both accept from one queue, so
     * no connection waits on a socket that is about to close): the plain port's, then the HTTPS port's if
     * that one had one. This server was started on loopback ports of its own (nobody knows them, so nobody
     * is in their queues); each descriptor is replaced by the received socket in one {@code dup2}, and one
     * connection to the old port wakes Helidon's accept call, which still waits on the old socket. Takes
     * {@code listening} (closes them).
     *
     * @param port      the public port the plain socket is bound to, which {@link #port()} reports from now on
     * @param httpsPort the HTTPS socket's, which {@link #httpsPort()} reports
     */
    public void acceptOn(int[] listening, int port, Optional<Integer> httpsPort) throws IOException {
        try {
            adopt(WebServer.DEFAULT_SOCKET_NAME, listening[0]);
            adoptedPort = port;
            if (listening.length > 1 && https.config().isPresent()) {
                adopt(HTTPS_SOCKET, listening[1]);
                adoptedHttpsPort = httpsPort.orElseThrow();
            } else if (listening.length > 1) {
                System.out.println("take-over: the old process served HTTPS on port " + httpsPort.orElse(0)
                        + "; this configuration has no \"tls\": that port closes with the old process");
            } else if (https.config().isPresent()) {
                System.out.println("take-over: the old process had no HTTPS port; this one's listens on loopback port "
                        + server.port(HTTPS_SOCKET) + " only: restart (not --take-over) to open it");
            }
        } finally {
            for (int descriptor : listening) {
                SocketDescriptors.closeDescriptor(descriptor);
            }
        }
    }

    private void adopt(String socketName, int listening) throws IOException {
        java.net.ServerSocket own = HelidonListeningSocket.of(server, socketName);
        int ownPort = own.getLocalPort();
        SocketDescriptors.replace(SocketDescriptors.descriptorOf(own), listening);
        try (java.net.Socket wake = new java.net.Socket()) {
            wake.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), ownPort), 2_000);
        } catch (IOException alreadyAccepting) {
            // Helidon was between two accepts: the loopback socket is gone and it accepts on the new one
        }
    }

    /**
     * Accepts again on {@code listening} (descriptors of the sockets this server gave away, kept for this
     * case, in the order of {@link #duplicateListeningSockets}) after a take-over failed half way: Helidon
     * binds afresh, and its sockets are replaced by the kept ones as in {@link #acceptOn}. Takes them.
     */
    public void resumeAccepting(int[] listening) throws IOException {
        int port = port(); // before Helidon binds afresh: with --port 0 that socket gets another port
        Optional<Integer> httpsPort = httpsPort();
        HelidonListeningSocket.resumeAccepting(server, WebServer.DEFAULT_SOCKET_NAME);
        if (listening.length > 1) {
            HelidonListeningSocket.resumeAccepting(server, HTTPS_SOCKET);
        }
        for (WebServer shoutcastPort : shoutcast.servers()) {
            HelidonListeningSocket.resumeAccepting(shoutcastPort, WebServer.DEFAULT_SOCKET_NAME);
        }
        acceptOn(listening, port, httpsPort);
    }

    /**
     * Stops accepting new connections on every port (another process accepts there now); the open ones go
     * on. The SHOUTcast ports' sockets are closed (their encoders stay): they are not handed over, the new
     * process opens its own ({@code SO_REUSEPORT}) once it has taken over.
     */
    public void stopAccepting() throws IOException {
        HelidonListeningSocket.stopAccepting(server, WebServer.DEFAULT_SOCKET_NAME);
        if (https.config().isPresent()) {
            HelidonListeningSocket.stopAccepting(server, HTTPS_SOCKET);
        }
        for (WebServer shoutcastPort : shoutcast.servers()) {
            HelidonListeningSocket.stopAccepting(shoutcastPort, WebServer.DEFAULT_SOCKET_NAME);
        }
    }

    /** Icecast's side of the port: its write engine and its sources, which a take-over moves. */
    public IcecastConnectionSelector icecast() {
        return icecast;
    }

    /** The HTTPS port, if there is one. */
    public Optional<Integer> httpsPort() {
        int adopted = adoptedHttpsPort;
        return https.config().map(secure -> adopted > 0 ? adopted : server.port(HTTPS_SOCKET));
    }

    /** Reads the certificate files again (SIGHUP); a line for the log, nothing without HTTPS. */
    public Optional<String> reloadCertificates() {
        return https.files().map(CertificateFiles::reload);
    }

    /** The SHOUTcast v1 ports; {@link ShoutcastPorts#sync} opens them (at start and on reload). */
    public ShoutcastPorts shoutcast() {
        return shoutcast;
    }

    @Override
    public void close() {
        https.close();
        shoutcast.close();
        server.stop();
        icecast.close();
        metrics.close();
    }
}
