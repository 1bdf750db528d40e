package org.tinyice.bootstrap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.TlsConfig;

/**
 * Refuses a start on a port another process listens on. TinyIce binds its ports with {@code SO_REUSEPORT}
 * (a take-over's new process and a cluster's edges share them on purpose), and the kernel then lets a
 * second server bind the same port without a word and spreads new connections over both: a second
 * TinyIce started by mistake would take half the listeners to a server without the encoder. So before
 * binding, each port is bound once without {@code SO_REUSEPORT}, which the kernel refuses while any socket
 * listens there. {@code --take-over} and {@code --share-port} skip this.
 */
final class PortsInUse {

    private PortsInUse() {
    }

    /** @throws IllegalStateException with a message for the operator if the plain or HTTPS port is in use */
    static void refuseIfServed(ServerConfig config) {
        refuseIfServed(config.host(), config.port(), "port");
        config.tls().map(TlsConfig::port).ifPresent(port -> refuseIfServed(config.host(), port, "HTTPS port"));
    }

    private static void refuseIfServed(String host, int port, String what) {
        if (port == 0) {
            return; // any free port: nobody else's
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException(what + " " + port + " on " + host + " is in use by another process ("
                    + e.getMessage() + "). If it is a TinyIce, update it with --take-over (same --data-dir), or add"
                    + " --share-port to run beside it as a cluster edge; else pick another --port.");
        }
    }
}
