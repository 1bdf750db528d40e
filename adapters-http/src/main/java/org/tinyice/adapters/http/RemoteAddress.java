package org.tinyice.adapters.http;

import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The client's address as failed logins are counted and lockouts listed: the bare IP, no port. */
public final class RemoteAddress {

    private RemoteAddress() {
    }

    public static String of(ServerRequest req) {
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
