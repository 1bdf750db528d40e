package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tinyice.adapters.http.takeover.HandableSources;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.ShoutcastConfig;

/**
 * The {@code "shoutcast"} ports: one listening socket per entry, each taking SHOUTcast v1 encoders for
 * its mount ({@link ShoutcastConnection}), opened and closed to match the configuration at start and
 * on every reload (SIGHUP).
 *
 * <p>Why one small Helidon {@link WebServer} per port, not a second listener of the main server nor an
 * acceptor of our own: Helidon 4.2 fixes a server's listeners when it is built, so a second listener
 * could not be opened or closed on reload; a server of its own per port can. And Helidon still does
 * the accepting on virtual threads and hands each connection over as a {@link ConnectionContext} with
 * its {@code DataReader}, which is what {@link SourceHandshake} reads audio from: the SHOUTcast path
 * reuses the handshake, the watchdog and the per-address limit unchanged, where an acceptor of our own
 * would need a second reader and writer under all of them. As on the main port the selector is the
 * server's only one, so a client that sends nothing meets the header deadline from accept.
 */
public final class ShoutcastPorts implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShoutcastPorts.class.getName());

    private final IcecastProtocol protocol;
    private final ConnectionWatchdog watchdog;
    private final ConnectionsPerAddress perAddress;
    private final java.util.concurrent.atomic.LongAdder refusedByAddress;
    private final HandableSources handable;
    private final int sendBufferBytes;
    /** Open ports by the entry and the port it resolved to; guarded by this. */
    private final Map<Key, WebServer> open = new LinkedHashMap<>();
    private boolean closed;

    private record Key(ShoutcastConfig entry, String host, int port) { }

    ShoutcastPorts(IcecastProtocol protocol, ConnectionWatchdog watchdog, ConnectionsPerAddress perAddress,
                  java.util.concurrent.atomic.LongAdder refusedByAddress, HandableSources handable,
                  int sendBufferBytes) {
        this.handable = handable;
        this.protocol = protocol;
        this.watchdog = watchdog;
        this.perAddress = perAddress;
        this.refusedByAddress = refusedByAddress;
        this.sendBufferBytes = sendBufferBytes;
    }

    /**
     * Opens the ports {@code config} names and closes those it no longer names (disconnecting their
     * encoders); unchanged entries keep their socket and their encoders. A port that cannot be opened (in use) is logged and skipped.
     *
     * @return a line for the operator per port opened, closed or failed
     */
    public synchronized List<String> sync(ServerConfig config) {
        List<String> lines = new ArrayList<>();
        if (closed) {
            return lines;
        }
        Map<Key, ShoutcastConfig> wanted = new LinkedHashMap<>();
        for (ShoutcastConfig entry : config.shoutcast()) {
            wanted.put(new Key(entry, config.host(), entry.portFor(config.port())), entry);
        }
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            var running = it.next();
            if (!wanted.containsKey(running.getKey())) {
                int port = running.getValue().port();
                running.getValue().stop();
                it.remove();
                // stopping the server also ends its connections: the port's encoder leaves with it
                lines.add("SHOUTcast port " + port + " (" + running.getKey().entry().mount() + ") closed, with its"
                        + " encoder if one was connected");
            }
        }
        for (Key key : wanted.keySet()) {
            if (open.containsKey(key)) {
                continue;
            }
            try {
                WebServer server = server(key).start();
                if (!server.isRunning()) {
                    throw new IllegalStateException("the listener did not start");
                }
                open.put(key, server);
                lines.add("SHOUTcast v1 sources for " + key.entry().mount() + " on " + key.host() + ":"
                        + server.port());
            } catch (RuntimeException e) {
                lines.add("SHOUTcast port " + key.port() + " for " + key.entry().mount() + " could not be opened"
                        + " (in use?): " + e.getMessage());
            }
        }
        lines.forEach(line -> LOG.log(line.contains("could not") ? Level.ERROR : Level.INFO, line));
        return lines;
    }

    /** The port a mount's SHOUTcast encoders connect to (the real one when the file says 0). */
    public synchronized Optional<Integer> port(String mount) {
        return open.entrySet().stream().filter(e -> e.getKey().entry().mount().equals(mount)).findFirst()
                .map(e -> e.getValue().port());
    }

    private WebServer server(Key key) {
        String mount = key.entry().mount();
        return WebServer.builder()
                .host(key.host())
                .port(key.port())
                .shutdownGracePeriod(Duration.ofSeconds(1))
                .connectionOptions(SocketOptions.builder()
                        .socketSendBufferSize(sendBufferBytes)
                        .tcpNoDelay(true)
                        .build())
                .putListenerSocketOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024)
                // a take-over's new process opens the port while the old one still holds its socket (which
                // it closes once the update starts, TinyIceHttpServer.stopAccepting; its encoder moves)
                .putListenerSocketOption(StandardSocketOptions.SO_REUSEPORT, true)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(new Selector(mount))
                .build();
    }

    /** The servers of the open ports (a take-over stops their accepting, keeping their encoders). */
    public synchronized List<WebServer> servers() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(WebServer::stop);
        open.clear();
    }

    /** The only selector of a SHOUTcast port's server: every connection is a {@link ShoutcastConnection}. */
    private final class Selector implements ServerConnectionSelector {
        private final String mount;

        Selector(String mount) {
            this.mount = mount;
        }

        @Override
        public int bytesToIdentifyConnection() {
            return 0;
        }

        @Override
        public Support supports(BufferData data) {
            return Support.SUPPORTED;
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return Set.of();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            return new ShoutcastConnection(ctx, protocol, watchdog, perAddress, refusedByAddress, mount, handable);
        }
    }
}
