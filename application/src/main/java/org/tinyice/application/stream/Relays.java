package org.tinyice.application.stream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.RelayStatusQuery.RelayStatus;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.domain.mount.Mount;

/**
 * The configured relays ({@code "relays"} in {@code tinyice.json}): one {@link Relay} thread per
 * entry, each the source of its local mount. {@link #sync} brings the running set in line with a
 * configuration (at start and on every reload): new entries start, removed ones stop, and entries
 * that did not change are left alone, so their listeners hear no gap. The relays of a master's mounts
 * ({@link MasterRelays}) come through {@link #syncFromMaster}; a configured entry for the same mount
 * wins, since the operator wrote it for that mount.
 */
public final class Relays implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Relays.class.getName());

    /** A relay's mount, claimed: the mount for titles, the session for the audio. */
    record Claimed(Mount mount, SourceSession session) { }

    private final SourceService sources;
    private final MetadataService metadata;
    private final RelayClient client;
    private final Supplier<ServerConfig> config;
    private final Clock clock;
    private final ThreadFactory threads;
    private final ReentrantLock lock = new ReentrantLock();
    /** By local mount; guarded by lock. */
    private final Map<String, Relay> running = new LinkedHashMap<>();
    private boolean closed; // guarded by lock
    private List<RelayConfig> configured = List.of(); // guarded by lock
    private List<RelayConfig> fromMaster = List.of(); // guarded by lock

    /**
     * @param metadata sets the titles the upstreams send, as {@code /admin/metadata} does
     * @param threads  one thread per relay (virtual threads: they mostly wait on a socket)
     */
    public Relays(SourceService sources, MetadataService metadata, RelayClient client, Supplier<ServerConfig> config,
                  Clock clock, ThreadFactory threads) {
        this.sources = sources;
        this.metadata = metadata;
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.threads = threads;
        sources.fallbacks().onDemand(this::connectForListener);
    }

    /**
     * A listener came for {@code path} and nothing streams there: if an on-demand relay serves it,
     * it connects now, and the listener waits for its first audio (at most {@code limits.source_timeout})
     * so that it then starts like any other, with a burst.
     */
    Optional<Mount> connectForListener(String path) {
        Relay relay;
        lock.lock();
        try {
            relay = running.get(path);
        } finally {
            lock.unlock();
        }
        if (relay == null || !relay.config().onDemand()) {
            return Optional.empty();
        }
        try {
            return relay.awaitAudio(config.get().limits().sourceIdleTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Runs exactly the relays of {@code wanted}. A relay whose entry changed in any way (another URL,
     * credentials, grace) is stopped and started again; its mount ends in between.
     */
    public void sync(List<RelayConfig> wanted) {
        lock.lock();
        try {
            configured = List.copyOf(wanted);
            apply();
        } finally {
            lock.unlock();
        }
    }

    /** Runs exactly these relays of a master's mounts, besides the configured ones. */
    public void syncFromMaster(List<RelayConfig> wanted) {
        lock.lock();
        try {
            fromMaster = List.copyOf(wanted);
            apply();
        } finally {
            lock.unlock();
        }
    }

    /** Called with lock held. */
    private void apply() {
        List<Relay> stopped = new ArrayList<>();
        if (closed) {
            return;
        }
        Map<String, RelayConfig> byMount = new LinkedHashMap<>();
        fromMaster.forEach(relay -> byMount.put(relay.mount(), relay));
        // put last, so a configured entry replaces the master's relay of the same mount
        configured.forEach(relay -> byMount.put(relay.mount(), relay));
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            Relay relay = it.next().getValue();
            if (!relay.config().equals(byMount.get(relay.config().mount()))) {
                relay.stop();
                stopped.add(relay);
                it.remove();
                // '' is MessageFormat's apostrophe
                LOG.log(System.Logger.Level.INFO,
                        "{0}: stopped (no longer in the configuration or the master''s list as it was)", relay.config());
            }
        }
        // the old relay of a changed entry must let go of the mount before the new one claims it
        awaitEnd(stopped);
        for (RelayConfig relay : byMount.values()) {
            if (!running.containsKey(relay.mount())) {
                Relay started = new Relay(relay, !configured.contains(relay), this);
                running.put(relay.mount(), started);
                started.start(threads);
            }
        }
    }

    /** What the relays running now are doing, in configuration order (the master's first). */
    public List<RelayStatus> statuses() {
        lock.lock();
        try {
            return running.values().stream().map(Relay::status).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Stops every relay (their mounts end, listeners move to fallbacks or are let go); none starts again. */
    @Override
    public void close() {
        List<Relay> all;
        lock.lock();
        try {
            closed = true;
            all = List.copyOf(running.values());
            running.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(Relay::stop);
        awaitEnd(all);
    }

    private static void awaitEnd(List<Relay> relays) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Relay relay : relays) {
            try {
                relay.join(Math.max(1, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- what a relay needs from its surroundings ----

    RelayClient client() {
        return client;
    }

    ServerConfig config() {
        return config.get();
    }

    Clock clock() {
        return clock;
    }

    RelayBackoff newBackoff() {
        return new RelayBackoff(() -> ThreadLocalRandom.current().nextDouble());
    }

    Optional<Claimed> claim(String path, org.tinyice.domain.mount.SourceInfo source, Runnable kill) {
        return sources.startRelaySource(path, source, kill);
    }

    void title(Mount mount, String title) {
        metadata.relayedTitle(mount, title);
    }
}
