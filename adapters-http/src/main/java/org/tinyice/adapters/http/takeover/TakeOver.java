package org.tinyice.adapters.http.takeover;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.relay.SocketRelayClient;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.out.RelayClient;

/**
 * The new process's side of a take-over (see {@link TakeOverChannel} for the conversation): asks the
 * TinyIce serving the same data directory for its listening socket, continues the sources and
 * listeners it sends, then accepts on the socket.
 */
public final class TakeOver {

    private TakeOver() {
    }

    /** What the new process took over. */
    public record Result(int port, int mounts, int listeners) {
    }

    /**
     * Takes the port and the streams over from the server whose channel is in {@code dataDir};
     * {@code server} has been started on a loopback port of its own and accepts on the public socket
     * when this returns.
     *
     * @param sourceIdle how long a taken-over encoder may stay silent ({@code limits.source_timeout})
     * @throws IllegalStateException with a message for the operator when there is nothing to take over,
     *                               or the running server refuses
     */
    public static Result from(Path dataDir, TinyIceHttpServer server, HandOverStreamsUseCase streams,
                              Duration sourceIdle) throws IOException {
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
            String[] ports = text.startsWith(TakeOverChannel.LISTENING)
                    ? text.substring(TakeOverChannel.LISTENING.length()).trim().split(" ") : new String[0];
            if (ports.length == 0 || ports.length != listening.descriptors().length) {
                UnixMessages.closeAll(Arrays.stream(listening.descriptors()).boxed().toList());
                throw new IllegalStateException("--take-over: the running TinyIce "
                        + (text.startsWith(TakeOverChannel.REFUSED) ? text : "answered '" + text + "'"));
            }
            int port = Integer.parseInt(ports[0]);
            Optional<Integer> httpsPort = ports.length > 1 ? Optional.of(Integer.parseInt(ports[1])) : Optional.empty();
            int[] listeningSockets = listening.descriptors();
            int mounts = 0;
            int listeners = 0;
            boolean adopted = false;
            try {
                messages.send(TakeOverChannel.READY);
                while (true) {
                    UnixMessages.Message message;
                    try {
                        message = messages.receive();
                    } catch (java.io.EOFException oldProcessGone) {
                        // killed half way: what came is served, and the socket is ours alone now
                        System.out.println("take-over: the old process went away during the take-over;"
                                + " serving what it handed over");
                        adopted = true;
                        server.acceptOn(listeningSockets, port, httpsPort);
                        return new Result(port, mounts, listeners);
                    }
                    String type = message.type();
                    if (type.equals(TakeOverChannel.END)) {
                        break;
                    }
                    switch (type) {
                        case TakeOverChannel.SERVER -> streams.continueServer(StreamStates.server(message.data()));
                        case TakeOverChannel.MOUNT -> mounts += continueMount(server, streams, sourceIdle, message);
                        case TakeOverChannel.RELAY -> mounts += continueRelay(streams, sourceIdle, message);
                        case TakeOverChannel.FILE -> {
                            StreamStates.MovingFile file = StreamStates.file(message.data());
                            mounts += streams.continueFileMount(file.mount(), file.position()) ? 1 : 0;
                        }
                        case TakeOverChannel.LISTENERS -> listeners += continueListeners(server, streams, message);
                        default -> {
                            UnixMessages.closeAll(Arrays.stream(message.descriptors()).boxed().toList());
                            throw new IOException("unexpected take-over message '" + type + "'");
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!adopted) {
                    for (int descriptor : listeningSockets) {
                        SocketDescriptors.closeDescriptor(descriptor);
                    }
                }
                throw e;
            }
            server.acceptOn(listeningSockets, port, httpsPort);
            messages.send(TakeOverChannel.ACCEPTING);
            UnixMessages.Message released;
            try {
                released = messages.receive();
            } catch (java.io.EOFException oldProcessGone) {
                return new Result(port, mounts, listeners); // it had nothing left to say
            }
            if (!TakeOverChannel.RELEASED.equals(released.text())) {
                throw new IllegalStateException("--take-over: the running TinyIce answered '" + released.text() + "'");
            }
            return new Result(port, mounts, listeners);
        }
    }

    private static int continueMount(TinyIceHttpServer server, HandOverStreamsUseCase streams, Duration sourceIdle,
                                     UnixMessages.Message message) throws IOException {
        if (message.descriptors().length != 1) {
            UnixMessages.closeAll(Arrays.stream(message.descriptors()).boxed().toList());
            throw new IOException("a mount came without its source's connection");
        }
        SocketChannel channel = SocketDescriptors.adopt(message.descriptors()[0]);
        AtomicReference<AdoptedSource> source = new AtomicReference<>();
        StreamStates.MovingMount mount = StreamStates.mount(message.data());
        Optional<SourceSession> session = streams.continueMount(mount.state(), () -> {
            AdoptedSource adopted = source.get();
            if (adopted != null) {
                adopted.disconnect();
            }
        });
        if (session.isEmpty()) {
            SocketDescriptors.closeGracefully(channel);
            return 0;
        }
        source.set(AdoptedSource.start(channel, session.get(), server.icecast().handableSources(), sourceIdle,
                mount.framing()));
        return 1;
    }

    private static int continueRelay(HandOverStreamsUseCase streams, Duration sourceIdle,
                                     UnixMessages.Message message) throws IOException {
        if (message.descriptors().length != 1) {
            UnixMessages.closeAll(Arrays.stream(message.descriptors()).boxed().toList());
            throw new IOException("a relay came without its upstream's connection");
        }
        SocketChannel channel = SocketDescriptors.adopt(message.descriptors()[0]);
        StreamStates.MovingRelay relay;
        RelayClient.Upstream upstream;
        try {
            relay = StreamStates.relay(message.data());
            upstream = SocketRelayClient.continued(channel, relay.unread(), relay.contentType(), relay.headers(),
                    relay.metaint(), relay.remoteAddress(), sourceIdle);
        } catch (IOException | RuntimeException e) {
            SocketDescriptors.closeGracefully(channel);
            throw e;
        }
        return streams.continueRelay(relay.mount(), relay.relay(), upstream) ? 1 : 0;
    }

    private static int continueListeners(TinyIceHttpServer server, HandOverStreamsUseCase streams,
                                         UnixMessages.Message message) throws IOException {
        List<StreamStates.MovingListener> states = StreamStates.listeners(message.data());
        int[] descriptors = message.descriptors();
        if (descriptors.length != states.size()) {
            UnixMessages.closeAll(Arrays.stream(descriptors).boxed().toList());
            throw new IOException(states.size() + " listeners came with " + descriptors.length + " connections");
        }
        int continued = 0;
        for (int i = 0; i < descriptors.length; i++) {
            SocketChannel channel;
            try {
                channel = SocketDescriptors.adopt(descriptors[i]);
            } catch (IOException gone) {
                SocketDescriptors.closeDescriptor(descriptors[i]);
                continue;
            }
            AtomicReference<FanOutEngine.Attached> attached = new AtomicReference<>();
            Optional<HandOverStreamsUseCase.ContinuedListener> listener = streams.continueListener(
                    states.get(i).state(), () -> {
                        FanOutEngine.Attached engineListener = attached.get();
                        if (engineListener != null) {
                            engineListener.close();
                        }
                    });
            if (listener.isEmpty()) {
                SocketDescriptors.closeGracefully(channel);
                continue;
            }
            var session = listener.get().session();
            var feed = listener.get().feed();
            // its access-log line when it ends here, with the request it made to the old process; and it
            // can be handed over again at the next update, request and all
            attached.set(server.icecast().engine().attach(channel, feed,
                    server.icecast().continuedListenerEnd(states.get(i).request(), session, feed),
                    states.get(i).unsent()));
            continued++;
        }
        return continued;
    }
}
