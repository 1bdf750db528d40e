package org.tinyice.application.status;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.stream.ServerCounters;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/** Snapshots live mounts for status pages; hidden mounts are left out of the list. */
public final class StatusService implements ServerStatusQuery {

    private final MountRegistry mounts;
    private final Supplier<ServerConfig> config;
    private final ServerCounters counters;

    public StatusService(MountRegistry mounts, Supplier<ServerConfig> config, ServerCounters counters) {
        this.mounts = mounts;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public ServerStatus status() {
        ServerConfig now = config.get();
        var visible = mounts.all().stream()
                .map(mount -> snapshot(mount, now))
                .filter(status -> !status.config().hidden())
                .toList();
        return new ServerStatus(counters.started(), now.hostname(), now.port(), now.location(), now.adminEmail(),
                counters.listeners(), counters.sources(), visible, counters.listenerConnections(),
                counters.sourceConnections(), counters.listenerDisconnects(), counters.listenerAuthFailures(),
                counters.listenerLaps(), counters.listenersTooSlow(), counters.listenersStalled());
    }

    @Override
    public Optional<MountStatus> mount(String path) {
        ServerConfig now = config.get();
        return mounts.find(path).map(mount -> snapshot(mount, now));
    }

    @Override
    public Optional<List<ListenerStatus>> listeners(String path) {
        return mounts.find(path).map(mount -> mount.listeners().stream()
                .sorted(Comparator.comparingLong(Listener::id))
                .map(l -> new ListenerStatus(l.id(), l.remoteAddress(), l.userAgent(), l.connectedAt(), l.bytesSent(),
                        l.laps()))
                .toList());
    }

    private static MountStatus snapshot(Mount mount, ServerConfig config) {
        var headers = mount.ring().headers();
        return new MountStatus(mount.path(), mount.source(), mount.format(),
                headers == null ? Optional.empty() : headers.codec(),
                mount.hasTitle() ? Optional.of(mount.title()) : Optional.empty(),
                mount.listenerCount(), mount.listenerPeak(), mount.streamStart(), config.mount(mount.path()),
                mount.bytesRead(), mount.bytesSent(), mount.slowListenerCount());
    }
}
