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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.icecast.ListenerEnd;
import org.tinyice.adapters.http.relay.SocketRelayClient;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.out.RelayClient;

/**
 * The running server's side of a take-over (zero-downtime update): a Unix domain socket in the data
 * directory, readable and writable by its owner only (0600), where a new TinyIce started with
 * {@code --take-over} asks for the listening socket.
 *
 * <p>The conversation ({@link UnixMessages}):
 * <ol>
 *   <li>new: {@code take-over 1}</li>
 *   <li>old: {@code listening <port>} with a descriptor of its listening socket (or {@code listening <port>
 *       <https port>} with the plain port's and then the HTTPS port's), or {@code refused: why} (another
 *       take-over is under way)</li>
 *   <li>new: {@code ready} (it runs, on a loopback port of its own)</li>
 *   <li>old: stops accepting (new connections wait in the socket's queue), then sends {@code server}
 *       (uptime, totals), a {@code mount} per source that can move (its ring, title, counters, and the
 *       encoder's connection), a {@code relay} per relay reading its upstream (its mount as a {@code mount}
 *       goes, its entry, where its ICY reading stood, and the upstream's connection), a {@code file} per file
 *       mount (its mount, and where in its file its player stopped), {@code listeners} in
 *       batches (each one's place in the stream, its unsent bytes and its connection), and {@code end}</li>
 *   <li>new: continues them all, accepts on the listening socket, answers {@code accepting}</li>
 *   <li>old: closes this channel (so that the new one can open its own at the same path), answers
 *       {@code released}, and runs {@code onReleased}: it finishes what it kept (a SHOUTcast source,
 *       a relay, a page being served) and exits</li>
 * </ol>
 * Until step 4 the old process serves as before, so a new process that dies before changes nothing; one
 * that dies later gives everything back: this process keeps its own descriptors of every connection it
 * sends until the new one accepts, and then reads, writes and accepts again.
 * The listening sockets are never closed, only passed on, so no connect is refused or reset at any step.
 */
public final class TakeOverChannel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TakeOverChannel.class.getName());

    static final String HELLO = "take-over 1";
    static final String LISTENING = "listening ";
    static final String REFUSED = "refused: ";
    static final String READY = "ready";
    static final String SERVER = "server";
    static final String MOUNT = "mount";
    static final String RELAY = "relay";
    static final String FILE = "file";
    static final String LISTENERS = "listeners";
    static final String END = "end";
    static final String ACCEPTING = "accepting";
    static final String RELEASED = "released";

    private final Path path;
    private final ServerSocketChannel channel;
    private final TinyIceHttpServer server;
    private final HandOverStreamsUseCase streams;
    private final java.util.function.Supplier<java.time.Duration> sourceIdle;
    private final Consumer<Set<String>> onReleased;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TakeOverChannel(Path path, ServerSocketChannel channel, TinyIceHttpServer server,
                            HandOverStreamsUseCase streams, java.util.function.Supplier<java.time.Duration> sourceIdle,
                            Consumer<Set<String>> onReleased) {
        this.path = path;
        this.channel = channel;
        this.server = server;
        this.streams = streams;
        this.sourceIdle = sourceIdle;
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
     * @param sourceIdle how long a source taken back after a failed take-over may stay silent
     * @param onReleased run (on the channel's thread) once the new process accepts and this one stopped,
     *                   with the mounts it took
     * @throws IllegalStateException if another TinyIce answers on the path
     */
    public static TakeOverChannel open(Path dataDir, TinyIceHttpServer server, HandOverStreamsUseCase streams,
                                       java.util.function.Supplier<java.time.Duration> sourceIdle,
                                       Consumer<Set<String>> onReleased) throws IOException {
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
        TakeOverChannel takeOver = new TakeOverChannel(path, channel, server, streams, sourceIdle, onReleased);
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

    /** Whether a live TinyIce answers on the channel of {@code dataDir} now. */
    public static boolean answers(Path dataDir) {
        Path path = socketPath(dataDir);
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException stale) {
            return false;
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
        Set<String> handed = new HashSet<>();
        Moving moving = new Moving();
        try (UnixMessages messages = new UnixMessages(connection)) {
            UnixMessages.Message hello;
            try {
                hello = messages.receive();
            } catch (IOException probe) {
                return; // a start that only looked whether this server runs (--take-over-if-running)
            }
            UnixMessages.closeAll(Arrays.stream(hello.descriptors()).boxed().toList());
            if (!HELLO.equals(hello.text())) {
                messages.send(REFUSED + "unknown request '" + hello.text() + "' (a TinyIce of another version?)");
                return;
            }
            int[] listening = server.duplicateListeningSockets();
            try {
                messages.send(LISTENING + server.port() + server.httpsPort().map(port -> " " + port).orElse(""),
                        listening);
            } finally {
                for (int descriptor : listening) {
                    SocketDescriptors.closeDescriptor(descriptor);
                }
            }
            UnixMessages.Message ready = messages.receive();
            if (!READY.equals(ready.text())) {
                LOG.log(Level.WARNING, "take-over abandoned by the new process: " + ready.text());
                return;
            }
            // From here connections wait in the socket's queue until the new process accepts: the
            // streams move while nobody can join them, so no listener joins a stream that is leaving.
            // A descriptor of the socket, the sources' and the listeners' stay here until the new
            // process accepts, so that this one can take everything back if it dies first.
            moving.listening = server.duplicateListeningSockets();
            server.stopAccepting();
            messages.send(SERVER, StreamStates.server(streams.serverState()));
            handOverSources(messages, handed, moving);
            handOverRelays(messages, handed, moving);
            handOverFileMounts(messages, handed, moving);
            handOverListeners(messages, handed, moving);
            messages.send(END, new byte[0]);
            UnixMessages.Message answer = messages.receive();
            if (!ACCEPTING.equals(answer.text())) {
                throw new IOException("the new process answered '" + answer.text() + "'");
            }
            moving.letGo();
            closeChannel();
            released = true;
            System.out.println("take-over: the new process accepts on port " + server.port() + " and serves "
                    + handed.size() + " mount(s) handed over; this one accepts no more and finishes its connections");
            messages.send(RELEASED);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (!released) {
                String taken = moving.takeBack();
                System.out.println("take-over abandoned (" + e.getMessage() + "); this process goes on serving" + taken);
            }
        }
        if (released) {
            onReleased.accept(Set.copyOf(handed));
        }
    }

    /**
     * What this process keeps while its streams move: its own descriptors of the listening socket, of each
     * source's and each listener's connection. {@link #letGo} once the new process accepts;
     * {@link #takeBack} if it failed before.
     */
    private final class Moving {
        int[] listening = new int[0];
        final List<HandableSources.Frozen> sources = new ArrayList<>();
        final List<KeptRelay> relays = new ArrayList<>();
        /** The file mounts stopped, by path: where in its file each one's mount stopped. */
        final java.util.Map<String, Long> files = new java.util.LinkedHashMap<>();
        final List<FanOutEngine.Detached> listeners = new ArrayList<>();

        void letGo() {
            for (int descriptor : listening) {
                SocketDescriptors.closeDescriptor(descriptor);
            }
            for (HandableSources.Frozen source : sources) {
                closeQuietly(source.connection());
            }
            for (KeptRelay relay : relays) {
                closeQuietly(relay.connection());
            }
            for (FanOutEngine.Detached listener : listeners) {
                try {
                    listener.channel().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException ignored) {
                    // gone: the new process will find out
                }
                closeQuietly(listener.channel());
            }
        }

        /** The new process failed half way: sources read here again, listeners written here again, accepting again. */
        String takeBack() {
            if (listening.length == 0) {
                return ""; // nothing had stopped
            }
            int sourcesBack = 0;
            for (HandableSources.Frozen source : sources) {
                Optional<org.tinyice.application.port.in.StartSourceUseCase.SourceSession> session =
                        streams.resumeMount(source.mountPath());
                try {
                    if (session.isPresent()) {
                        AdoptedSource.start(source.connection(), session.get(), server.icecast().handableSources(),
                                sourceIdle.get(), source.framing());
                        sourcesBack++;
                    } else {
                        SocketDescriptors.closeGracefully(source.connection());
                    }
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "the source of " + source.mountPath() + " could not be taken back", e);
                }
            }
            for (KeptRelay relay : relays) {
                relay.takeBack();
                sourcesBack++;
            }
            files.forEach(streams::resumeFileMount);
            sourcesBack += files.size();
            int listenersBack = 0;
            for (FanOutEngine.Detached listener : listeners) {
                try {
                    server.icecast().engine().attach(listener.channel(), listener.feed(), listener.onEnd(),
                            listener.unsent());
                    listenersBack++;
                } catch (IOException e) {
                    listener.onEnd().accept(FanOutEngine.Ending.GONE);
                }
            }
            try {
                server.resumeAccepting(listening);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.ERROR, "could not accept again after a failed take-over", e);
                return "; COULD NOT ACCEPT AGAIN: " + e.getMessage();
            }
            return " (took back " + sourcesBack + " source(s) and " + listenersBack + " listener(s); accepting again)";
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Each source that can move stops reading here, and goes with its mount's ring, title and counters. */
    private void handOverSources(UnixMessages messages, Set<String> handed, Moving moving)
            throws IOException, InterruptedException {
        for (HandableSources.HandableSource source : server.icecast().handableSources().all()) {
            HandableSources.Frozen frozen;
            try {
                frozen = source.freeze();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "source of " + source.mountPath() + " not handed over", e);
                continue;
            }
            moving.sources.add(frozen);
            Optional<HandOverStreamsUseCase.MountState> state = streams.mountState(frozen.mountPath());
            if (state.isPresent()) {
                messages.send(MOUNT, StreamStates.mount(state.get(), frozen.framing()),
                        SocketDescriptors.descriptorOf(frozen.connection()));
                handed.add(frozen.mountPath());
            }
        }
    }

    /**
     * A relay stopped for the hand-over, with what this process keeps of its upstream until the new one
     * accepts: the connection (a duplicate descriptor) and the bytes read from it and not given out.
     */
    private record KeptRelay(HandOverStreamsUseCase.FrozenRelay relay, SocketChannel connection, byte[] unread,
                               HandOverStreamsUseCase streams, java.time.Duration idle) {
        /** The take-over failed: the relay reads on from its upstream here. */
        void takeBack() {
            RelayClient.Upstream upstream = relay.upstream();
            try {
                streams.resumeRelay(relay, SocketRelayClient.continued(connection, unread, upstream.contentType(),
                        upstream.headers(), upstream.metaint(), upstream.remoteAddress(), idle));
            } catch (IOException e) {
                closeQuietly(connection);
                streams.resumeRelay(relay, upstream); // its next read fails: it reconnects, within its grace
            }
        }
    }

    /** Each relay reading its upstream stops between two reads and goes with its mount and its connection. */
    private void handOverRelays(UnixMessages messages, Set<String> handed, Moving moving) throws IOException {
        for (HandOverStreamsUseCase.FrozenRelay relay : streams.freezeRelays()) {
            String path = relay.state().config().mount();
            Optional<HandOverStreamsUseCase.MountState> state = streams.mountState(path);
            if (!(relay.upstream() instanceof SocketRelayClient.HandedUpstream upstream) || state.isEmpty()) {
                streams.resumeRelay(relay, relay.upstream());
                continue;
            }
            SocketChannel connection;
            try {
                connection = upstream.connection();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "relay of " + path + " not handed over", e);
                streams.resumeRelay(relay, relay.upstream());
                continue;
            }
            byte[] unread = upstream.unread();
            moving.relays.add(new KeptRelay(relay, connection, unread, streams, sourceIdle.get()));
            messages.send(RELAY, StreamStates.relay(new StreamStates.MovingRelay(state.get(), relay.state(),
                    upstream.contentType(), upstream.headers(), upstream.metaint(), upstream.remoteAddress(), unread)),
                    SocketDescriptors.descriptorOf(connection));
            handed.add(path);
        }
    }

    /** Each file mount's player stops between two stretches; its mount goes with where in its file it stopped. */
    private void handOverFileMounts(UnixMessages messages, Set<String> handed, Moving moving) throws IOException {
        for (java.util.Map.Entry<String, Long> file : streams.freezeFileMounts().entrySet()) {
            Optional<HandOverStreamsUseCase.MountState> state = streams.mountState(file.getKey());
            moving.files.put(file.getKey(), file.getValue());
            if (state.isPresent()) {
                messages.send(FILE, StreamStates.file(new StreamStates.MovingFile(state.get(), file.getValue())));
                handed.add(file.getKey());
            }
        }
    }

    /**
     * The engine lets go of the listeners of the mounts handed over (no byte goes out here after that),
     * and each goes with its place in the stream and the bytes its socket had not taken yet.
     */
    private void handOverListeners(UnixMessages messages, Set<String> handed, Moving moving)
            throws IOException, InterruptedException {
        List<FanOutEngine.Detached> detached = server.icecast().engine().detach(feed -> feed.handOverState()
                .map(state -> handed.contains(state.mount())).orElse(false));
        moving.listeners.addAll(detached);
        for (int from = 0; from < detached.size(); from += UnixMessages.MAX_DESCRIPTORS) {
            List<FanOutEngine.Detached> batch = detached.subList(from,
                    Math.min(detached.size(), from + UnixMessages.MAX_DESCRIPTORS));
            List<StreamStates.MovingListener> listeners = new ArrayList<>();
            int[] descriptors = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                FanOutEngine.Detached listener = batch.get(i);
                HandOverStreamsUseCase.ListenerState state = listener.feed().handOverState().orElseThrow();
                // the request it made here, for its access-log line when it ends in the new process
                ListenerEnd.Request request = listener.onEnd() instanceof ListenerEnd end
                        ? end.request() : new ListenerEnd.Request("GET " + state.mount() + " HTTP/1.0", "", "");
                listeners.add(new StreamStates.MovingListener(state, listener.unsent(), request));
                descriptors[i] = SocketDescriptors.descriptorOf(listener.channel());
            }
            messages.send(LISTENERS, StreamStates.listeners(listeners), descriptors);
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
