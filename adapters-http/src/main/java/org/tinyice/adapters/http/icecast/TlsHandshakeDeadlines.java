package org.tinyice.adapters.http.icecast;

import io.helidon.common.socket.SocketOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;

/**
 * The HTTPS port's rule for a client that opens a TLS connection and never finishes its handshake (sends
 * nothing, or stops inside its ClientHello): it is closed {@code limits.header_timeout} after it connected,
 * like a request head that never ends on the plain port.
 *
 * <p>Why this lives in the accepted socket's options: Helidon 4.2 runs the handshake
 * ({@code SSLSocket.startHandshake}, blocking reads without a timeout) on the connection's virtual thread
 * before any selector sees the connection, so {@link IcecastConnection}'s header deadline cannot cover it;
 * a handshake that times out by {@code SO_TIMEOUT} would not help either, as Helidon then leaves the socket
 * open. The one call Helidon makes on every accepted socket before the handshake is
 * {@link SocketOptions#configureSocket}: these options arm a deadline there, and
 * {@link IcecastConnectionSelector#connection} ends it when the handshake is done and the connection
 * reaches the selector (Helidon gives it the peer the socket reports, so the client's address and port
 * are the key). A deadline that fires closes the socket, which makes the blocked handshake fail at once.
 */
final class TlsHandshakeDeadlines implements SocketOptions {

    private final SocketOptions options;
    private final ConnectionWatchdog watchdog;
    private final Supplier<Duration> timeout;
    private final Map<SocketAddress, ConnectionWatchdog.Deadline> handshaking = new ConcurrentHashMap<>();

    /**
     * @param options  the options every accepted socket gets
     * @param timeout  {@code limits.header_timeout} now (reloadable: read at each connect)
     */
    TlsHandshakeDeadlines(SocketOptions options, ConnectionWatchdog watchdog, Supplier<Duration> timeout) {
        this.options = options;
        this.watchdog = watchdog;
        this.timeout = timeout;
    }

    @Override
    public void configureSocket(Socket socket) {
        options.configureSocket(socket);
        if (!(socket instanceof SSLSocket tls)) {
            return;
        }
        SocketAddress client = tls.getRemoteSocketAddress();
        ConnectionWatchdog.Deadline[] own = new ConnectionWatchdog.Deadline[1];
        own[0] = watchdog.register(() -> {
            handshaking.remove(client, own[0]);
            own[0].close();
            // off the watchdog's thread: closing a TLS socket sends alerts, and the watchdog serves everyone
            Thread.startVirtualThread(() -> closeQuietly(tls));
        });
        handshaking.put(client, own[0]);
        own[0].arm(timeout.get().toNanos());
    }

    /** The handshake of {@code client}'s connection is done: its own header deadline takes over. */
    void handshakeDone(SocketAddress client) {
        ConnectionWatchdog.Deadline deadline = handshaking.remove(client);
        if (deadline != null) {
            deadline.close();
        }
    }

    /** Connections whose handshake is under way (or ended badly, until their deadline passes). */
    int handshaking() {
        return handshaking.size();
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return options.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return options.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return options.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return options.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return options.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return options.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return options.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return options.tcpNoDelay();
    }
}
