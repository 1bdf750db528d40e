package org.tinyice.adapters.http;

import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The client's address as failed logins are counted and lockouts listed: the bare IP, no port. Behind
 * a trusted proxy ({@code trusted_proxies}) it is the client the proxy forwarded for.
 */
public final class RemoteAddress {

    /**
     * The client of the routed request the current thread serves, as the connection found it at accept
     * (the peer, or the address a trusted proxy forwarded for): Helidon's HTTP/1 connection runs routing
     * on the connection's own thread.
     */
    public static final ScopedValue<InetAddress> CLIENT = ScopedValue.newInstance();

    private RemoteAddress() {
    }

    public static String of(ServerRequest req) {
        if (CLIENT.isBound()) {
            return CLIENT.get().getHostAddress();
        }
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
