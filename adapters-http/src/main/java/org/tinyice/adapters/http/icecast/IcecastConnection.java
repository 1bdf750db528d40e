package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.tinyice.adapters.http.RemoteAddress;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.observe.AccessLog;
import org.tinyice.adapters.http.tls.HttpsRedirect;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.TlsConfig;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;
import org.tinyice.domain.mount.MountPath;

/**
 * One client connection in Icecast's dialect: reads a request head and answers it as Icecast 2.4.4
 * would. A source then keeps the connection (and its virtual thread) for its whole life; a listener's
 * connection, once its head is sent, is handed to the write engine ({@link ListenerStream#handOver})
 * and this handler returns, freeing the virtual thread. libshout's probes ({@code OPTIONS *}, the credential-less challenge) may be followed by
 * another request on the same connection.
 *
 * <p>Every connection starts here, at accept ({@link IcecastConnectionSelector} is the server's only
 * selector): the per-address limit and the header deadline hold for all of them. Requests meant for
 * Helidon's routing are handed to Helidon's HTTP/1 connection untouched (nothing has been consumed
 * yet), with the deadline still armed until routing has the request ({@link #ROUTED}).
 */
final class IcecastConnection implements ServerConnection {

    private static final System.Logger LOG = System.getLogger(IcecastConnection.class.getName());

    /**
     * The header deadline of the routed connection whose request the current thread serves: Helidon's
     * HTTP/1 connection reads heads and runs routing on the connection's own thread, so a routing filter
     * finds it here ({@link IcecastConnectionSelector#whileRouted}).
     */
    static final ScopedValue<ConnectionWatchdog.Deadline> ROUTED = ScopedValue.newInstance();

    private final ConnectionContext ctx;
    private final IcecastProtocol protocol;
    private final ConnectionWatchdog watchdog;
    private final ServerConnectionSelector http1;
    private final AtomicLong connections;
    private final AccessLog accessLog;
    private final ConnectionsPerAddress perAddress;
    private final FanOutEngine engine;
    private final org.tinyice.adapters.http.takeover.HandableSources handable;
    private volatile ServerConnection delegate;
    /** Set once a listener's connection belongs to the engine: closing it is the engine's then. */
    private volatile FanOutEngine.Attached handedOver;
    private final LongAdder refusedByAddress;
    /** The address the per-address limit counted, given back when the connection ends. */
    private InetAddress address;
    private ConnectionsPerAddress.Admission admission;
    /** The TCP peer: the client, or a trusted proxy in front of it. */
    private InetAddress peer;
    /** Whom this connection is for: the peer, or the client a trusted proxy forwarded for. */
    private InetAddress client;

    IcecastConnection(ConnectionContext ctx, IcecastProtocol protocol, ConnectionWatchdog watchdog,
                      ServerConnectionSelector http1, AtomicLong connections,
                      AccessLog accessLog, ConnectionsPerAddress perAddress, FanOutEngine engine,
                      org.tinyice.adapters.http.takeover.HandableSources handable, LongAdder refusedByAddress) {
        this.refusedByAddress = refusedByAddress;
        this.engine = engine;
        this.handable = handable;
        this.accessLog = accessLog;
        this.perAddress = perAddress;
        this.connections = connections;
        this.ctx = ctx;
        this.protocol = protocol;
        this.watchdog = watchdog;
        this.http1 = http1;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        ServerConfig config = protocol.config().get();
        peer = ((InetSocketAddress) ctx.remotePeer().address()).getAddress();
        // from a trusted proxy, the client is known once its head is in (serve); from anyone else, now
        if (!protocol.addressPolicy().isTrustedProxy(peer) && !admit(peer, config)) {
            return;
        }
        try {
            serve(limit, config);
        } finally {
            if (handedOver == null) {
                releaseAddress();
            }
        }
    }

    /**
     * The address lists, then the per-address limit, for {@code whom}. A refused connection is closed
     * without an answer: from a client not behind a proxy nothing is read yet, so a reset may overtake any
     * answer, and a flood of refused connections should cost the server as little as possible.
     *
     * @return false when the connection was refused (and closed)
     */
    private boolean admit(InetAddress whom, ServerConfig config) {
        client = whom;
        if (!protocol.addressPolicy().mayConnect(whom)) {
            refusedByAddress.increment();
            closeSocket();
            return false;
        }
        address = whom;
        admission = perAddress.admit(whom, config.limits());
        if (admission == ConnectionsPerAddress.Admission.REFUSED) {
            closeSocket();
            return false;
        }
        return true;
    }

    /** The connection's place in the per-address count, given back when the connection ends. */
    private void releaseAddress() {
        if (admission == ConnectionsPerAddress.Admission.COUNTED) {
            perAddress.release(address);
        }
    }

    private void serve(Limit limit, ServerConfig config) throws InterruptedException {
        try (ConnectionWatchdog.Deadline deadline = watchdog.register(this::closeSocket)) {
            deadline.arm(config.limits().headerTimeout().toNanos());
            if (!ctx.isSecure() && startsWithTlsHandshake(ctx.dataReader())) {
                // a TLS client on the plain port: nothing it could read would help it, and its ClientHello
                // must not wait out the header timeout as a request line that never ends
                LOG.log(Level.DEBUG, "TLS handshake on the plain port from " + peer + ": closed");
                return;
            }
            if (client == null && !admit(forwardedClient(peekHead(ctx.dataReader())), config)) {
                return;
            }
            connections.incrementAndGet();
            boolean again = true;
            while (again) {
                deadline.arm(protocol.config().get().limits().headerTimeout().toNanos());
                // every request is classified, not only the first: a browser that kept an HLS connection
                // alive may send a page or API request on it next, which only Helidon's routing answers
                String line = peekRequestLine(ctx.dataReader());
                if (line != null && !IcecastRequests.isIcecast(line)) {
                    ServerConnection routed = http1.connection(ctx);
                    delegate = routed;
                    ScopedValue.where(ROUTED, deadline).where(RemoteAddress.CLIENT, client).call(() -> {
                        routed.handle(limit);
                        return null;
                    });
                    return;
                }
                RequestHead head;
                try {
                    head = RequestHeadReader.read(ctx.dataReader());
                } catch (RequestHeadReader.BadRequest bad) {
                    send(bad.status == 431
                            ? IcecastResponse.htmlError(431, "Request Header Fields Too Large", bad.getMessage())
                            : IcecastResponse.badRequest(bad.getMessage()));
                    return;
                }
                deadline.disarm();
                if (!isForSameClient(head)) {
                    return;
                }
                // nothing here reads a body on a connection it keeps: read on, and the body would be
                // parsed as the next request, which behind a proxy reusing connections is request smuggling
                again = respond(head, deadline) && !head.announcesBody();
            }
        } catch (DataReader.InsufficientDataAvailableException | UncheckedIOException closed) {
            // the client went away (or the watchdog closed it): nothing left to answer
        } catch (RuntimeException e) {
            if (ctx.serverSocket().isConnected()) {
                LOG.log(Level.DEBUG, "connection failed", e);
            }
        }
    }

    /** @return whether to read another request from this connection */
    private boolean respond(RequestHead head, ConnectionWatchdog.Deadline deadline) throws InterruptedException {
        String method = head.method();
        if (method.equals("OPTIONS")) {
            // libshout's capability probe; no Upgrade (TLS is a separate listener) and no PUT in Allow,
            // so libshout stays with SOURCE as it does against Icecast 2.4.4
            send(IcecastResponse.of(200, "OK", null, head.wantsKeepAlive())
                    .header("Allow", "GET, HEAD, SOURCE, OPTIONS").withBody(new byte[0]));
            return head.wantsKeepAlive();
        }
        String path = head.path();
        if (path.contains("..") || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            send(IcecastResponse.badRequest("Bad path"));
            return false;
        }
        if (method.equals("SOURCE") || method.equals("PUT")) {
            ServerConfig config = protocol.config().get();
            return new SourceHandshake(protocol.sources(), protocol.credentials(), protocol.clock(),
                    protocol.addressPolicy(), client, handable)
                    .handle(head, path, ctx, deadline, config.limits().sourceIdleTimeout().toNanos());
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(IcecastResponse.badRequest("unknown request"));
            return false;
        }
        if (path.equals(ShoutcastMetadata.PATH)) {
            send(ShoutcastMetadata.answer(protocol, head, ShoutcastMetadata.mountOnMainPort(protocol, head),
                    client.getHostAddress()));
            return false;
        }
        if (path.startsWith("/admin/")) {
            // Icecast's commands; other /admin/ paths only get here over HTTP/1.0 (stats tools), and
            // get Icecast's "Unrecognised command" rather than a 505
            return admin(head, path.substring("/admin/".length()));
        }
        if (IcecastRequests.isRoutedPath(path)) {
            // only HTTP/1.0 clients get here for these paths; Helidon's routing speaks HTTP/1.1 only
            send(IcecastResponse.htmlError(505, "HTTP Version Not Supported", "This page needs HTTP/1.1"));
            return false;
        }
        if (path.equals("/status-json.xsl")) {
            send(IcecastResponse.of(200, "OK", "application/json; charset=UTF-8", false)
                    .withBody(StatusJson.render(protocol.status().status(), httpsPortIfSecure())));
            return false;
        }
        Optional<HlsHttp.Request> hls = HlsHttp.parse(path);
        if (hls.isPresent() && protocol.status().mount(path).isEmpty() && isHls(hls.get())) {
            HlsHttp.Answer answer = HlsHttp.answer(protocol.hls(), head, hls.get(), client.getHostAddress());
            send(answer.bytes());
            return answer.keepAlive();
        }
        if (protocol.status().mount(path).isPresent() || Playlists.kindOf(path).isEmpty()) {
            listen(head, path, deadline);
            return false;
        }
        playlist(head, path);
        return false;
    }

    /**
     * Whether an HLS-shaped path is HLS's: playlists always, segments when named by a number or when
     * their mount is live; {@code /music/song.mp3} under no live mount stays a mount path (Icecast's 404).
     */
    private boolean isHls(HlsHttp.Request request) {
        return !(request instanceof HlsHttp.SegmentRequest segment) || HlsHttp.isSegmentName(segment.name())
                || protocol.status().mount(segment.mount()).isPresent();
    }

    private void listen(RequestHead head, String path, ConnectionWatchdog.Deadline deadline)
            throws InterruptedException {
        if (!MountPath.isValid(path)) {
            send(IcecastResponse.notFound());
            return;
        }
        if (!protocol.addressPolicy().mayUseMount(client, path)) {
            send(IcecastResponse.htmlError(403, "Forbidden", "Address not allowed on this mount"));
            return;
        }
        ListenerCloser closer = new ListenerCloser(ctx.serverSocket());
        ListenAdmission answer = protocol.listeners().listen(new ListenCommand(path, client.getHostAddress(),
                head.header("User-Agent").orElse(""), head.credentials(), closer,
                head.method().equals("HEAD")));
        switch (answer) {
            case ListenAdmission.NotFound n -> send(IcecastResponse.notFound());
            case ListenAdmission.Unauthorized u -> send(u.challenge()
                    ? IcecastResponse.unauthorized(false)
                    : IcecastResponse.htmlError(403, "Forbidden", "Listener authentication refused"));
            case ListenAdmission.MountFull f ->
                    send(IcecastResponse.htmlError(403, "Forbidden", "Mount full: too many listeners on " + path));
            case ListenAdmission.ServerFull f ->
                    send(IcecastResponse.htmlError(403, "Forbidden", "Server full: too many listeners"));
            // the target as the listener sent it, so the edge gets the same mount and query (a player's
            // session key, a stats tag); the credentials are not put in the URL, unlike Icecast-KH's
            case ListenAdmission.Redirected r -> send(IcecastResponse.found(r.edge().urlOf(head.rawPathAndQuery())));
            case ListenAdmission.Admitted admitted -> {
                var session = admitted.session();
                ListenerFeed feed = session.feed(head.headerIs("Icy-MetaData", "1"));
                boolean lowLatency = protocol.config().get().mount(path).lowLatency().enabled();
                ListenerEnd end = new ListenerEnd(accessLog, protocol.clock(), new ListenerEnd.Request(
                        head.method() + " " + head.target() + " " + head.version(),
                        head.credentials().map(c -> c.user()).orElse(""), head.header("Referer").orElse("")),
                        session, feed);
                boolean streaming = false;
                try {
                    deadline.arm(ListenerStream.WRITE_STALL_NANOS);
                    send(ListenerStream.head(session.source(), feed.metaint(), lowLatency));
                    deadline.disarm();
                    if (head.method().equals("GET") && !ListenerStream.engineCanTake(ctx)) {
                        ListenerStream.streamHere(ctx, feed, deadline);
                    } else if (head.method().equals("GET")) {
                        ConnectionsPerAddress counts = perAddress;
                        ConnectionsPerAddress.Admission counted = admission;
                        InetAddress from = address;
                        handedOver = closer.handedOver(ListenerStream.handOver(ctx, engine, feed,
                                counted == ConnectionsPerAddress.Admission.COUNTED
                                        ? end.andThen(() -> counts.release(from)) : end));
                        streaming = true;
                    }
                } catch (java.io.IOException e) {
                    LOG.log(Level.DEBUG, "listener not handed over", e);
                } catch (UncheckedIOException | DataReader.InsufficientDataAvailableException gone) {
                    // a listener streamed here left (or stalled and was closed by the watchdog)
                } finally {
                    if (!streaming) {
                        if (deadline.fired()) {
                            feed.stalled();
                        }
                        end.log();
                        session.leave();
                    }
                }
            }
        }
    }

    /**
     * What closes a listener's connection (admin kick, a disabled mount): Helidon's socket until the
     * hand-over, the engine's listener after it. It lets go of Helidon's socket then: the listener's
     * domain object keeps this for the listener's whole life, and must not keep Helidon's connection
     * (its 8 KiB read buffer, its socket) alive with it: it did, and cost 9 KB per listener.
     */
    private static final class ListenerCloser implements Runnable {
        private volatile HelidonSocket socket;
        private volatile FanOutEngine.Attached attached;
        private volatile boolean closed;

        ListenerCloser(HelidonSocket socket) {
            this.socket = socket;
        }

        FanOutEngine.Attached handedOver(FanOutEngine.Attached engineListener) {
            attached = engineListener;
            socket = null;
            if (closed) {
                engineListener.close(); // kicked while being handed over
            }
            return engineListener;
        }

        @Override
        public void run() {
            closed = true;
            FanOutEngine.Attached engineListener = attached;
            if (engineListener != null) {
                engineListener.close();
                return;
            }
            HelidonSocket helidonSocket = socket;
            if (helidonSocket != null) {
                try {
                    helidonSocket.close();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
        }
    }

    private boolean admin(RequestHead head, String command) {
        AdminCommands.Answer answer = new AdminCommands(protocol, connections.get(), client.getHostAddress(),
                httpsPortIfSecure())
                .answer(head, command);
        send(answer.bytes());
        return answer.keepAlive();
    }

    private void playlist(RequestHead head, String path) {
        Playlists.Kind kind = Playlists.kindOf(path).orElseThrow();
        String mount = Playlists.mountOf(path, kind);
        ServerConfig config = protocol.config().get();
        if (!ctx.isSecure()) {
            Optional<String> https = HttpsRedirect.forPlaylist(config.tls(), head.method(), head.rawPathAndQuery(),
                    head.header("Host"), head.header("Accept"));
            if (https.isPresent()) {
                send(IcecastResponse.of(301, "Moved Permanently", null, false).header("Location", https.get())
                        .withBody(new byte[0]));
                return;
            }
        }
        // a client that came over HTTPS gets an HTTPS URL (a page served over HTTPS may not play http: audio)
        boolean secure = ctx.isSecure();
        int port = secure ? config.tls().map(TlsConfig::port).orElse(config.port()) : config.port();
        String authority = head.header("Host").filter(h -> !h.isBlank() && h.matches("[A-Za-z0-9.:\\[\\]-]+"))
                .orElse(config.hostname() + ":" + port);
        Optional<MountStatus> status = protocol.status().mount(mount);
        String body = Playlists.render(kind, (secure ? "https://" : "http://") + authority + mount, status);
        send(IcecastResponse.of(200, "OK", kind.contentType, false).withBody(body));
    }

    /** The HTTPS port if this connection is one of its: URLs given to this client are HTTPS ones then. */
    private Optional<Integer> httpsPortIfSecure() {
        return ctx.isSecure() ? protocol.config().get().tls().map(TlsConfig::port) : Optional.empty();
    }

    private void send(byte[] bytes) {
        ctx.dataWriter().writeNow(BufferData.create(bytes));
    }

    /** Whether the first byte is a TLS handshake record's (0x16), which no HTTP request line starts with. */
    private static boolean startsWithTlsHandshake(DataReader reader) {
        reader.ensureAvailable();
        return reader.getBuffer(1).read() == 0x16;
    }

    /**
     * The request line at the front of the reader, without consuming anything; null if the client
     * sends more than a request line's worth of bytes without a line end (then it is ours to refuse).
     */
    static String peekRequestLine(DataReader reader) {
        while (true) {
            reader.ensureAvailable();
            int available = reader.available();
            byte[] bytes = new byte[available];
            reader.getBuffer(available).read(bytes);
            String line = RequestHeadReader.firstLine(bytes, available);
            if (line != null || available >= RequestHeadReader.MAX_HEAD_BYTES) {
                return line;
            }
            reader.pullData();
        }
    }

    /**
     * Whether a request read on a kept-alive connection is still for an address that may connect: a
     * proxy may send requests of several clients over one connection (libshout's probe, then its
     * {@code SOURCE}, are the only requests this code keeps a connection for). A refused one is closed.
     */
    private boolean isForSameClient(RequestHead head) {
        if (!protocol.addressPolicy().isTrustedProxy(peer)) {
            return true;
        }
        InetAddress now = protocol.addressPolicy().client(peer, head.headers("X-Forwarded-For"),
                head.headers("Forwarded"));
        if (!now.equals(client) && !protocol.addressPolicy().mayConnect(now)) {
            refusedByAddress.increment();
            closeSocket();
            return false;
        }
        client = now;
        return true;
    }

    /** The client a trusted proxy's request head names (the peer when the head cannot be read). */
    private InetAddress forwardedClient(byte[] head) {
        try {
            byte[][] once = {head};
            RequestHead parsed = RequestHeadReader.read(new DataReader(() -> {
                byte[] next = once[0];
                once[0] = null;
                return next;
            }));
            return protocol.addressPolicy().client(peer, parsed.headers("X-Forwarded-For"),
                    parsed.headers("Forwarded"));
        } catch (RequestHeadReader.BadRequest | RuntimeException unreadable) {
            // the real read refuses it with 400 (or the client is gone); the proxy is all we know
            return peer;
        }
    }

    /**
     * The request head at the front of the reader, without consuming anything: what arrived up to its
     * empty line, or {@value RequestHeadReader#MAX_HEAD_BYTES} bytes when no empty line comes first.
     */
    static byte[] peekHead(DataReader reader) {
        while (true) {
            reader.ensureAvailable();
            int available = reader.available();
            byte[] bytes = new byte[available];
            reader.getBuffer(available).read(bytes);
            int end = headEnd(bytes);
            if (end >= 0) {
                return java.util.Arrays.copyOf(bytes, end);
            }
            if (available >= RequestHeadReader.MAX_HEAD_BYTES) {
                return bytes;
            }
            reader.pullData();
        }
    }

    /** The length of the head up to and with its empty line ({@code \r\n\r\n} or {@code \n\n}), or -1. */
    private static int headEnd(byte[] bytes) {
        for (int i = 1; i < bytes.length; i++) {
            if (bytes[i] == '\n' && (bytes[i - 1] == '\n' || i >= 3 && bytes[i - 1] == '\r' && bytes[i - 2] == '\n')) {
                return i + 1;
            }
        }
        return -1;
    }

    private void closeSocket() {
        FanOutEngine.Attached attached = handedOver;
        if (attached != null) {
            attached.close();
            return;
        }
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    @Override
    public Duration idleTime() {
        ServerConnection d = delegate;
        // streaming connections are never idle in Helidon's sense; the watchdog owns their timeouts
        return d != null ? d.idleTime() : Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
        ServerConnection d = delegate;
        if (d != null) {
            d.close(interrupt);
        } else {
            closeSocket();
        }
    }
}
