package org.tinyice.adapters.http.takeover;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.fanout.SocketDescriptors;

/**
 * The running server's side of a take-over (zero-downtime update): a Unix domain socket in the data
 * directory, readable and writable by its owner only (0600), where a new TinyIce started with
 * {@code --take-over} asks for the listening socket.
 *
 * <p>The conversation, one message each way at a time ({@link UnixMessages}):
 * <ol>
 *   <li>new: {@code take-over 1}</li>
 *   <li>old: {@code listening <port>} with a descriptor of its listening socket, or {@code refused: why}
 *       (another take-over is under way)</li>
 *   <li>new: {@code accepting} once it accepts on that socket too</li>
 *   <li>old: stops accepting, closes this channel (so that the new one can open its own at the same
 *       path), answers {@code released}, and runs {@code onReleased}: it finishes the connections it has
 *       and exits</li>
 * </ol>
 * Until step 4 the old process accepts as before, so a new process that dies half way changes nothing;
 * from step 3 on both accept from the one socket, so no connection is refused or reset at any step.
 */
public final class TakeOverChannel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TakeOverChannel.class.getName());

    static final String HELLO = "take-over 1";
    static final String LISTENING = "listening ";
    static final String REFUSED = "refused: ";
    static final String ACCEPTING = "accepting";
    static final String RELEASED = "released";

    private final Path path;
    private final ServerSocketChannel channel;
    private final TinyIceHttpServer server;
    private final Runnable onReleased;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TakeOverChannel(Path path, ServerSocketChannel channel, TinyIceHttpServer server, Runnable onReleased) {
        this.path = path;
        this.channel = channel;
        this.server = server;
        this.onReleased = onReleased;
    }

    /** Where the channel of the server whose data directory is {@code dataDir} listens. */
    public static Path socketPath(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("tinyice.takeover");
    }

    /**
     * Opens the channel at {@link #socketPath} and answers take-overs there (a platform thread: the
     * descriptor calls block in native code). A socket file left by a process that died is replaced;
     * one that a live server answers on is not: that server serves this data directory.
     *
     * @param onReleased run (on the channel's thread) once the new process accepts and this one stopped
     * @throws IllegalStateException if another TinyIce answers on the path
     */
    public static TakeOverChannel open(Path dataDir, TinyIceHttpServer server, Runnable onReleased) throws IOException {
        Path path = socketPath(dataDir);
        refuseIfServed(dataDir);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        TakeOverChannel takeOver = new TakeOverChannel(path, channel, server, onReleased);
        Thread.ofPlatform().name("tinyice-take-over").daemon(true).start(takeOver::acceptLoop);
        return takeOver;
    }

    /**
     * Throws if a live TinyIce answers on the channel of {@code dataDir} (two servers on one data
     * directory would share its history and split the port); removes a socket file a dead one left.
     */
    public static void refuseIfServed(Path dataDir) throws IOException {
        Path path = socketPath(dataDir);
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                throw new IllegalStateException("another TinyIce serves the data directory " + dataDir.toAbsolutePath()
                        + " (it answers on " + path + "); start this one with --take-over to replace it");
            } catch (IOException stale) {
                Files.deleteIfExists(path); // left by a process that is gone
            }
        }
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel connection;
            try {
                connection = channel.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    LOG.log(Level.WARNING, "take-over channel stopped", e);
                }
                return;
            }
            if (busy.compareAndSet(false, true)) {
                Thread.ofPlatform().name("tinyice-take-over-peer").daemon(true).start(() -> {
                    try {
                        converse(connection);
                    } finally {
                        busy.set(false);
                    }
                });
            } else {
                Thread.ofPlatform().name("tinyice-take-over-refuse").daemon(true).start(() -> refuse(connection));
            }
        }
    }

    private static void refuse(SocketChannel connection) {
        try (UnixMessages messages = new UnixMessages(connection)) {
            messages.receive();
            messages.send(REFUSED + "another take-over of this server is under way");
        } catch (IOException ignored) {
            // it went away: nothing to refuse
        }
    }

    private void converse(SocketChannel connection) {
        boolean released = false;
        try (UnixMessages messages = new UnixMessages(connection)) {
            UnixMessages.Message hello = messages.receive();
            UnixMessages.closeAll(java.util.Arrays.stream(hello.descriptors()).boxed().toList());
            if (!HELLO.equals(hello.text())) {
                messages.send(REFUSED + "unknown request '" + hello.text() + "' (a TinyIce of another version?)");
                return;
            }
            int listening = server.duplicateListeningSocket();
            try {
                messages.send(LISTENING + server.port(), listening);
            } finally {
                SocketDescriptors.closeDescriptor(listening);
            }
            UnixMessages.Message answer = messages.receive();
            UnixMessages.closeAll(java.util.Arrays.stream(answer.descriptors()).boxed().toList());
            if (!ACCEPTING.equals(answer.text())) {
                LOG.log(Level.WARNING, "take-over abandoned by the new process: " + answer.text());
                return;
            }
            server.stopAccepting();
            closeChannel();
            released = true;
            System.out.println("take-over: the new process accepts on port " + server.port()
                    + "; this one accepts no more and finishes its connections");
            messages.send(RELEASED);
        } catch (IOException | RuntimeException e) {
            if (!released) {
                System.out.println("take-over abandoned (" + e.getMessage() + "); this process goes on serving");
            }
        }
        if (released) {
            onReleased.run();
        }
    }

    private void closeChannel() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove " + path, e);
            }
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
