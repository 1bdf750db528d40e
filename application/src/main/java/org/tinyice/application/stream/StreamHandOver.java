package org.tinyice.application.stream;

import java.util.Optional;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.Chunk;

/**
 * Both ends of a take-over's streams (see {@link HandOverStreamsUseCase}): what a mount is, for the old
 * process, once its source stopped; and, in the new process, the mount and its listeners continued
 * through {@link SourceService} and {@link ListenerService}, which alone create mounts and listeners.
 */
public final class StreamHandOver implements HandOverStreamsUseCase {

    private final MountRegistry mounts;
    private final SourceService sources;
    private final ListenerService listeners;
    private final ServerCounters counters;

    public StreamHandOver(MountRegistry mounts, SourceService sources, ListenerService listeners,
                          ServerCounters counters) {
        this.mounts = mounts;
        this.sources = sources;
        this.listeners = listeners;
        this.counters = counters;
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
    public Optional<ContinuedListener> continueListener(ListenerState state, Runnable disconnect) {
        return mounts.find(state.mount()).map(mount -> listeners.continueListener(mount, state, disconnect));
    }
}
