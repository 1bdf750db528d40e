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
import org.tinyice.application.port.in.HandOverStreamsUseCase.FrozenRelay;
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
 *
 * <p>A take-over's new process gets the old one's relays as they read ({@link #adopt}): each waits here,
 * its mount already continued, until a sync starts the relay of the same upstream for that mount, which
 * reads on from the old process's connection; one that the configuration no longer names ends as it
 * would on a reload. The old process's relays stop for it through {@link #freeze}.
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
    /** Whether {@link #sync} has said which relays are configured; guarded by lock. */
    private boolean configuredKnown;
    /** Relays continued from another process, by mount, until a sync starts theirs; guarded by lock. */
    private final Map<String, Adopted> adopted = new LinkedHashMap<>();

    /** A relay continued from another process, waiting for its entry: what it was, what it reads on from. */
    private record Adopted(RelayConfig config, Relay.Continued continued) {
        void end(String why) {
            continued.upstream().close();
            continued.claimed().session().finish(); // listeners move to the fallback, if any, as on a reload
            LOG.log(System.Logger.Level.INFO, "{0}: the mount ended: {1}", config, why);
        }
    }

    /**
     * @param metadata sets the titles the upstreams send, as {@code /admin/metadata} does
     * @param threads  one thread per relay, blocked in its upstream's reads most of the time
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
            configuredKnown = true;
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
                Relay started = new Relay(relay, !configured.contains(relay), this, continuationFor(relay));
                running.put(relay.mount(), started);
                started.start(threads);
            }
        }
        if (configuredKnown) {
            adopted.values().forEach(relay -> relay.end("the configuration of the process that took over"
                    + " names no relay to this mount"));
            adopted.clear();
        }
    }

    /** Called with lock held: what a relay about to start reads on from, if the old process relayed the same. */
    private Relay.Continued continuationFor(RelayConfig relay) {
        Adopted taken = adopted.remove(relay.mount());
        if (taken == null) {
            return null;
        }
        if (!taken.config().url().equals(relay.url())) {
            // its mount must end before the new relay claims the path
            taken.end("the process that took over relays " + relay.url() + " to this mount instead");
            return null;
        }
        return taken.continued();
    }

    /**
     * A take-over's new process: the old one's relay of {@code config}, its mount continued here, reads on
     * from {@code continued} once a sync starts the relay of the same upstream for that mount. A relay of a
     * master's list joins this process's list from the master meanwhile, so that it runs before the first
     * fetch (which keeps it, or stops it as for any mount the master no longer lists).
     */
    void adopt(RelayConfig config, boolean fromMaster, Relay.Continued continued) {
        lock.lock();
        try {
            if (closed) {
                new Adopted(config, continued).end("the server stops");
                return;
            }
            adopted.put(config.mount(), new Adopted(config, continued));
            if (fromMaster) {
                List<RelayConfig> withIt = new ArrayList<>(this.fromMaster);
                withIt.removeIf(relay -> relay.mount().equals(config.mount()));
                withIt.add(config);
                this.fromMaster = List.copyOf(withIt);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Admin "kill source" on a mount continued from another process: its relay's upstream connection ends
     * (and the mount with it), whether or not its relay has started yet.
     */
    void killContinued(String mount) {
        Relay relay;
        Adopted waiting;
        lock.lock();
        try {
            relay = running.get(mount);
            waiting = adopted.remove(mount);
        } finally {
            lock.unlock();
        }
        if (waiting != null) {
            waiting.end("its source was killed by the admin");
        } else if (relay != null) {
            relay.kill();
        }
    }

    /**
     * A take-over's old process: every relay reading its upstream stops between two reads, its mount kept
     * for the hand-over ({@link Relay#freeze}).
     */
    List<FrozenRelay> freeze() {
        List<Relay> all;
        lock.lock();
        try {
            all = List.copyOf(running.values());
        } finally {
            lock.unlock();
        }
        List<FrozenRelay> frozen = new ArrayList<>();
        for (Relay relay : all) {
            try {
                relay.freeze().ifPresent(frozen::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return frozen;
    }

    /** The take-over failed: the relay of {@code mount}, frozen for it, reads on from {@code upstream}. */
    void resume(String mount, RelayClient.Upstream upstream, SourceSession session) {
        Relay relay;
        lock.lock();
        try {
            relay = running.get(mount);
        } finally {
            lock.unlock();
        }
        if (relay == null) {
            upstream.close();
            session.finish();
        } else {
            relay.resume(upstream, session);
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
            adopted.values().forEach(relay -> relay.end("the server stops"));
            adopted.clear();
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
