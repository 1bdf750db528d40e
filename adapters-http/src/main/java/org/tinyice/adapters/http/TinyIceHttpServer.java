package org.tinyice.adapters.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.StandardSocketOptions;
import java.time.Duration;
import org.tinyice.adapters.http.icecast.IcecastConnectionSelector;
import org.tinyice.adapters.http.icecast.IcecastProtocol;

/**
 * The one HTTP port: Icecast traffic (sources, listeners, status, admin commands) through
 * {@link IcecastConnectionSelector}, everything else through Helidon's routing.
 */
public final class TinyIceHttpServer implements AutoCloseable {

    /**
     * Kernel send buffer per connection. Bounded so that a listener who stops reading blocks our write
     * within a few seconds (and the watchdog can drop it) instead of the kernel buffering megabytes.
     */
    static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final WebServer server;
    private final IcecastConnectionSelector icecast;

    public TinyIceHttpServer(String host, int port, IcecastProtocol protocol) {
        this.icecast = new IcecastConnectionSelector(protocol);
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
                .addConnectionSelector(icecast)
                .routing(TinyIceHttpServer::routing)
                .build();
    }

    static void routing(HttpRouting.Builder routing) {
        routing.get("/healthz", (req, res) -> res.send("ok\n"));
    }

    public TinyIceHttpServer start() {
        server.start();
        if (!server.isRunning()) {
            throw new IllegalStateException("the server did not start (is the port in use?)");
        }
        return this;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        icecast.close();
    }
}
