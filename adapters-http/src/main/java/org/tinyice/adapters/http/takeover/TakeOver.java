package org.tinyice.adapters.http.takeover;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.tinyice.adapters.http.TinyIceHttpServer;

/**
 * The new process's side of a take-over (see {@link TakeOverChannel} for the conversation): asks the
 * TinyIce serving the same data directory for its listening socket, accepts on it, and waits until
 * the old one has stopped accepting.
 */
public final class TakeOver {

    private TakeOver() {
    }

    /**
     * Takes the public port over from the server whose channel is in {@code dataDir}; {@code server} has
     * been started on a loopback port of its own and accepts on the public socket when this returns.
     *
     * @return the public port
     * @throws IllegalStateException with a message for the operator when there is nothing to take over,
     *                               or the running server refuses
     */
    public static int from(Path dataDir, TinyIceHttpServer server) throws IOException {
        Path path = TakeOverChannel.socketPath(dataDir);
        SocketChannel connection;
        try {
            connection = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new IllegalStateException("--take-over: no running TinyIce answers on " + path
                    + " (" + e.getMessage() + "); is it running with this --data-dir?");
        }
        try (UnixMessages messages = new UnixMessages(connection)) {
            messages.send(TakeOverChannel.HELLO);
            UnixMessages.Message listening = messages.receive();
            String text = listening.text();
            if (!text.startsWith(TakeOverChannel.LISTENING) || listening.descriptors().length != 1) {
                UnixMessages.closeAll(Arrays.stream(listening.descriptors()).boxed().toList());
                throw new IllegalStateException("--take-over: the running TinyIce "
                        + (text.startsWith(TakeOverChannel.REFUSED) ? text : "answered '" + text + "'"));
            }
            int port = Integer.parseInt(text.substring(TakeOverChannel.LISTENING.length()).trim());
            server.acceptOn(listening.descriptors()[0], port);
            messages.send(TakeOverChannel.ACCEPTING);
            UnixMessages.Message released = messages.receive();
            if (!TakeOverChannel.RELEASED.equals(released.text())) {
                throw new IllegalStateException("--take-over: the running TinyIce answered '" + released.text() + "'");
            }
            return port;
        }
    }
}
