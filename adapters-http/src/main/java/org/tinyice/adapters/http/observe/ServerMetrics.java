package org.tinyice.adapters.http.observe;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.tinyice.application.port.in.ServeHlsUseCase;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;
import org.tinyice.application.port.in.ServerStatusQuery.ServerStatus;

/**
 * TinyIce's meters in Helidon's registry, which {@code /metrics} serves in Prometheus format.
 *
 * <p>Nothing on the audio path touches a meter: every meter reads a counter the server keeps anyway,
 * when it is scraped. Mounts come and go, so their meters are added and removed by a sync once a second.
 */
public final class ServerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final ServerStatusQuery status;
    private final ServeHlsUseCase hls;
    private final Map<String, List<Meter>> mountMeters = new HashMap<>();
    private final List<Meter> serverMeters = new ArrayList<>();
    private final ScheduledExecutorService sync;

    /**
     * @param refusedPerAddress connections closed at accept because their address held its limit, since start
     * @param refusedByAddressLists connections closed because their client is banned or not on an allow list
     * @param extra             further server-wide counters from other parts (SSE clients, history queue): name -> value
     */
    public ServerMetrics(MeterRegistry registry, ServerStatusQuery status, ServeHlsUseCase hls,
                         LongSupplier refusedPerAddress, LongSupplier refusedByAddressLists,
                         Map<String, LongSupplier> extra) {
        this.registry = registry;
        this.status = status;
        this.hls = hls;
        gauge("tinyice_listeners", "Listeners connected now", () -> status.status().listeners());
        gauge("tinyice_sources", "Sources connected now", () -> status.status().sources());
        counter("tinyice_listener_connects", "Listeners admitted since start", () -> status.status().listenerConnections());
        counter("tinyice_listener_disconnects", "Listeners that left since start",
                () -> status.status().listenerDisconnects());
        counter("tinyice_source_connects", "Sources admitted since start", () -> status.status().sourceConnections());
        counter("tinyice_listener_auth_failures", "Listeners refused by listener authentication",
                () -> status.status().listenerAuthFailures());
        counter("tinyice_listener_laps", "Times a listener fell a whole ring behind and skipped ahead",
                () -> status.status().listenerLaps());
        counter("tinyice_listeners_dropped_slow", "Listeners dropped after lapping too often",
                () -> status.status().listenersTooSlow());
        counter("tinyice_listeners_dropped_stalled", "Listeners closed because they stopped reading",
                () -> status.status().listenersStalled());
        counter("tinyice_connections_refused_per_address",
                "Connections closed at accept because their address held limits.max_connections_per_address",
                refusedPerAddress);
        counter("tinyice_connections_banned",
                "Connections closed because their client is on banned_ips or not on allowed_ips",
                refusedByAddressLists);
        // HLS clients are not listeners: sessions are seen by address and user agent (docs/hls.md)
        gauge("tinyice_hls_sessions", "HLS sessions now (address and user agent that asked lately)",
                () -> hls.sessions().values().stream().mapToLong(Integer::longValue).sum());
        counter("tinyice_hls_playlist_requests", "HLS playlist requests answered since start",
                () -> hls.requests().playlists());
        counter("tinyice_hls_segment_requests", "HLS segment requests answered since start",
                () -> hls.requests().segments());
        extra.forEach((name, value) -> gauge(name, name.replace('_', ' '), value));
        sync = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tinyice-metrics");
            thread.setDaemon(true);
            return thread;
        });
        syncMounts();
        sync.scheduleWithFixedDelay(this::syncMounts, 1, 1, TimeUnit.SECONDS);
    }

    /** Adds meters for new mounts and removes those of mounts that ended. */
    synchronized void syncMounts() {
        ServerStatus now = status.status();
        Set<String> live = new HashSet<>();
        for (MountStatus mount : now.mounts()) {
            live.add(mount.path());
            mountMeters.computeIfAbsent(mount.path(), this::metersFor);
        }
        mountMeters.entrySet().removeIf(entry -> {
            if (live.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            return true;
        });
    }

    private List<Meter> metersFor(String path) {
        List<Tag> tags = List.of(Tag.create("mount", path));
        List<Meter> meters = new ArrayList<>();
        meters.add(registry.getOrCreate(Gauge.builder("tinyice_mount_listeners",
                        () -> mountValue(path, MountStatus::listeners))
                .tags(tags).description("Listeners on this mount now")));
        meters.add(registry.getOrCreate(Gauge.builder("tinyice_mount_hls_sessions",
                        () -> hls.sessions().getOrDefault(path, 0))
                .tags(tags).description("HLS sessions on this mount now")));
        // the state object must be strongly held: Micrometer keeps only a weak reference to it
        meters.add(registry.getOrCreate(FunctionalCounter.builder("tinyice_mount_bytes_in", this,
                        self -> mountValue(path, MountStatus::bytesRead))
                .tags(tags).description("Bytes received from this mount's source")));
        meters.add(registry.getOrCreate(FunctionalCounter.builder("tinyice_mount_bytes_out", this,
                        self -> mountValue(path, MountStatus::bytesSent))
                .tags(tags).description("Bytes sent to this mount's listeners")));
        return meters;
    }

    private long mountValue(String path, ToLongFunction<MountStatus> value) {
        Optional<MountStatus> mount = status.mount(path);
        return mount.map(value::applyAsLong).orElse(0L);
    }

    private void gauge(String name, String description, LongSupplier value) {
        serverMeters.add(registry.getOrCreate(Gauge.builder(name, () -> value.getAsLong())
                .description(description)));
    }

    private void counter(String name, String description, LongSupplier value) {
        serverMeters.add(registry.getOrCreate(FunctionalCounter.builder(name, this, self -> value.getAsLong())
                .description(description)));
    }

    @Override
    public synchronized void close() {
        sync.shutdownNow();
        mountMeters.values().forEach(meters -> meters.forEach(registry::remove));
        mountMeters.clear();
        serverMeters.forEach(registry::remove);
        serverMeters.clear();
    }
}
