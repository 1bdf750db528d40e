package org.tinyice.application.stream;

import java.util.List;
import java.util.Optional;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.domain.icy.IcyDeinterleaver;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.Chunk;

/**
 * Both ends of a take-over's streams (see {@link HandOverStreamsUseCase}): what a mount is, for the old
 * process, once its source stopped; and, in the new process, the mount and its listeners continued
 * through {@link SourceService} and {@link ListenerService}, which alone create mounts and listeners. A
 * relay's mount continues the same way, and its upstream goes to {@link Relays}, whose relay reads on.
 */
public final class StreamHandOver implements HandOverStreamsUseCase {

    private final MountRegistry mounts;
    private final SourceService sources;
    private final ListenerService listeners;
    private final ServerCounters counters;
    private final Relays relays;

    public StreamHandOver(MountRegistry mounts, SourceService sources, ListenerService listeners,
                          ServerCounters counters, Relays relays) {
        this.mounts = mounts;
        this.sources = sources;
        this.listeners = listeners;
        this.counters = counters;
        this.relays = relays;
    }

    @Override
    public ServerState serverState() {
        return new ServerState(counters.started(), counters.listenerConnections(), counters.sourceConnections());
    }

    @Override
    public void continueServer(ServerState state) {
        counters.continueFrom(state.started(), state.listenerConnections(), state.sourceConnections());
    }

    @Override
    public Optional<MountState> mountState(String path) {
        Optional<Mount> found = mounts.find(path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Mount mount = found.get();
        var ring = mount.ring();
        java.util.List<ChunkState> chunks = ring.retained().stream()
                .map((Chunk c) -> new ChunkState(c.sequence(), c.bytes(), c.title(), c.headers()))
                .toList();
        return Optional.of(new MountState(mount.path(), mount.source(), mount.title(), mount.hasTitle(),
                mount.listenerPeak(), mount.bytesRead(), mount.bytesSent(), ring.head(), chunks, ring.headers(),
                sources.releasedBytes(mount)));
    }

    @Override
    public Optional<SourceSession> resumeMount(String path) {
        return mounts.find(path).map(sources::resumeSource);
    }

    @Override
    public Optional<SourceSession> continueMount(MountState state, Runnable disconnect) {
        return sources.continueSource(state, disconnect);
    }

    @Override
    public List<FrozenRelay> freezeRelays() {
        return relays.freeze();
    }

    @Override
    public void resumeRelay(FrozenRelay relay, RelayClient.Upstream upstream) {
        String path = relay.state().config().mount();
        Optional<Mount> mount = mounts.find(path);
        if (mount.isEmpty()) {
            upstream.close();
            return;
        }
        relays.resume(path, upstream, sources.resumeSource(mount.get()));
    }

    @Override
    public boolean continueRelay(MountState mount, RelayState relay, RelayClient.Upstream upstream) {
        // read first: a state no de-interleaver can be in fails the take-over before the mount exists here
        IcyDeinterleaver icy = relay.icy() == null ? null : IcyDeinterleaver.resume(relay.icy());
        String path = mount.path();
        Optional<SourceSession> session = sources.continueSource(mount, () -> relays.killContinued(path));
        Optional<Mount> continued = mounts.find(path);
        if (session.isEmpty() || continued.isEmpty()) {
            upstream.close();
            return false;
        }
        relays.adopt(relay.config(), relay.fromMaster(), new Relay.Continued(
                new Relays.Claimed(continued.get(), session.get()), upstream, icy, relay.bytesReceived(),
                relay.lastTitle()));
        return true;
    }

    @Override
    public java.util.Map<String, Long> freezeFileMounts() {
        try {
            return sources.fileMounts().freeze();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Map.of();
        }
    }

    @Override
    public void resumeFileMount(String path, long position) {
        mounts.find(path).ifPresent(mount -> {
            FileMounts.Started started = sources.resumeFileSource(mount);
            if (!sources.fileMounts().continuePlaying(started, position)) {
                started.session().finish();
            }
        });
    }

    @Override
    public boolean continueFileMount(MountState mount, long position) {
        String path = mount.path();
        FileMounts files = sources.fileMounts();
        Optional<FileMounts.Started> started = sources.continueFileSource(mount, () -> files.stopPlaying(path));
        if (started.isEmpty()) {
            return false;
        }
        if (!files.continuePlaying(started.get(), position)) {
            started.get().session().finish(); // no such file here: it ends as a file mount that stops
            return false;
        }
        return true;
    }

    @Override
    public Optional<ContinuedListener> continueListener(ListenerState state, Runnable disconnect) {
        return mounts.find(state.mount()).map(mount -> listeners.continueListener(mount, state, disconnect));
    }
}
