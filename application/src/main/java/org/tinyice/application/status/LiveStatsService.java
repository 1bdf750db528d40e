package org.tinyice.application.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LiveStatsQuery;
import org.tinyice.application.stream.ServerCounters;
import org.tinyice.domain.hls.PackedAudio;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;

/**
 * Takes the live view's snapshot: one walk over the mounts, shared by every viewer that asks within
 * {@link #REUSE} (each dashboard asks every 500 ms; a hundred open dashboards still cost one walk).
 * Rates (bandwidth, CPU) are the change since the previous snapshot.
 */
public final class LiveStatsService implements LiveStatsQuery {

    /** A snapshot younger than this is handed out again. */
    static final Duration REUSE = Duration.ofMillis(250);

    private record Taken(Instant at, long cpuNanos, Map<String, long[]> bytes, LiveStats stats) { }

    private final MountRegistry mounts;
    private final Supplier<ServerConfig> config;
    private final ServerCounters counters;
    private final Clock clock;
    private final ProcessUsage process;
    private final AccessPolicy policy;
    private final Supplier<Map<String, Integer>> hlsSessions;
    private Taken last;

    public LiveStatsService(MountRegistry mounts, Supplier<ServerConfig> config, ServerCounters counters, Clock clock,
                            ProcessUsage process, AccessPolicy policy) {
        this(mounts, config, counters, clock, process, policy, Map::of);
    }

    /** @param hlsSessions HLS sessions by mount path now ({@code ServeHlsUseCase.sessions}) */
    public LiveStatsService(MountRegistry mounts, Supplier<ServerConfig> config, ServerCounters counters, Clock clock,
                            ProcessUsage process, AccessPolicy policy, Supplier<Map<String, Integer>> hlsSessions) {
        this.hlsSessions = hlsSessions;
        this.mounts = mounts;
        this.config = config;
        this.counters = counters;
        this.clock = clock;
        this.process = process;
        this.policy = policy;
    }

    @Override
    public LiveStats liveStats(DashboardUser viewer) {
        LiveStats all = snapshot();
        if (policy.allows(viewer, Action.READ_STATUS)) {
            return all;
        }
        List<LiveMount> own = all.mounts().stream()
                .filter(m -> policy.allows(viewer, Action.READ_STATUS, m.path())).toList();
        return new LiveStats(all.at(), all.serverStart(), own.stream().mapToInt(LiveMount::listeners).sum(),
                own.size(), own.stream().mapToLong(LiveMount::bytesInPerSecond).sum(),
                own.stream().mapToLong(LiveMount::bytesOutPerSecond).sum(), all.heapUsed(), all.heapMax(),
                all.cpuPercent(), own, own.stream().mapToInt(LiveMount::hlsSessions).sum());
    }

    @Override
    public List<PublicMount> publicMounts() {
        return snapshot().mounts().stream()
                .filter(m -> m.isPublic() && !m.hidden())
                .map(m -> new PublicMount(m.path(), m.name(), m.contentType(), m.title(), m.listeners(), m.hls()))
                .toList();
    }

    private synchronized LiveStats snapshot() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.at(), now).compareTo(REUSE) < 0) {
            return last.stats();
        }
        ServerConfig settings = config.get();
        double seconds = last == null ? 0 : Duration.between(last.at(), now).toNanos() / 1e9;
        Map<String, long[]> bytes = new HashMap<>();
        List<LiveMount> live = new ArrayList<>();
        long totalIn = 0;
        long totalOut = 0;
        Map<String, Integer> sessions = hlsSessions.get();
        for (Mount mount : mounts.all()) {
            // keyed by the source's start too: a new source on the same path starts its counters at 0
            String key = mount.path() + '@' + mount.streamStart();
            long[] current = {mount.bytesRead(), mount.bytesSent()};
            bytes.put(key, current);
            long[] before = last == null ? null : last.bytes().get(key);
            long in = rate(before == null ? current[0] : before[0], current[0], seconds);
            long out = rate(before == null ? current[1] : before[1], current[1], seconds);
            totalIn += in;
            totalOut += out;
            live.add(mount(mount, settings.mount(mount.path()), in, out, sessions.getOrDefault(mount.path(), 0)));
        }
        long cpu = process.cpuNanos();
        double cpuPercent = last == null || seconds <= 0 ? 0
                : Math.max(0, (cpu - last.cpuNanos()) / 1e9 / seconds / Math.max(1, process.processors()) * 100);
        LiveStats stats = new LiveStats(now, counters.started(), counters.listeners(), counters.sources(), totalIn,
                totalOut, process.heapUsed(), process.heapMax(), Math.round(cpuPercent * 10) / 10.0,
                List.copyOf(live), live.stream().mapToInt(LiveMount::hlsSessions).sum());
        last = new Taken(now, cpu, bytes, stats);
        return stats;
    }

    private static long rate(long before, long now, double seconds) {
        return seconds <= 0 || now < before ? 0 : Math.round((now - before) / seconds);
    }

    private static LiveMount mount(Mount mount, MountConfig config, long in, long out, int hlsSessions) {
        SourceInfo source = mount.source();
        long announced = source.firstHeader("ice-bitrate", "icy-br")
                .map(LiveStatsService::kbps).orElse(0L);
        Optional<String> name = source.firstHeader("ice-name", "icy-name").or(config::name);
        return new LiveMount(mount.path(), name, source.contentType(),
                mount.hasTitle() ? Optional.of(mount.title()) : Optional.empty(),
                mount.listenerCount(), mount.listenerPeak(), announced > 0 ? announced : in * 8 / 1000,
                source.remoteAddress(), source.userAgent(), mount.streamStart(), mount.slowListenerCount(), in, out,
                config.isPublic(), config.hidden(),
                PackedAudio.fromContentType(source.contentType()) != null && config.auth() instanceof ListenerAuth.None,
                hlsSessions);
    }

    private static long kbps(String header) {
        try {
            // "128", or libshout's "ice-audio-info" style is not used here; anything else counts as unknown
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
