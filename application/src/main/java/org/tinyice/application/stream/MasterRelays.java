package org.tinyice.application.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.tinyice.application.config.MasterConfig;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.StreamListClient;
import org.tinyice.application.port.out.StreamListClient.Listing;

/**
 * Icecast's master/slave relaying ({@code "master"} in {@code tinyice.json}): every {@code interval}
 * the origin's stream list is fetched, and {@link Relays} runs one relay per listed mount, to the
 * mount of the same path. A mount that appears is relayed from the next fetch on; one that goes is
 * stopped. When the list cannot be fetched the relays are left as they are: the origin may be
 * restarting, and each relay already rides out a lost upstream on its own (grace, backoff).
 *
 * <p>With a {@code public_url}, each fetch also tells the origin where listeners reach this edge and how
 * many places it has free ({@link MasterConfig#streamListUrl(OptionalInt)}), so that a full origin
 * sends listeners here ({@link EdgeRedirects} on the origin's side).
 */
public final class MasterRelays implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MasterRelays.class.getName());

    /** How often a server without a master looks again whether a reload gave it one. */
    private static final Duration WITHOUT_MASTER = Duration.ofSeconds(60);

    private final Relays relays;
    private final StreamListClient client;
    private final Supplier<ServerConfig> config;
    private final ThreadFactory threads;
    private final ServerCounters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean closed; // guarded by lock
    private boolean wake; // guarded by lock
    private Thread thread; // guarded by lock
    /** The master the relays of the last list were made for; empty before the first list. */
    private Optional<MasterConfig> listedFor = Optional.empty(); // only the polling thread
    /** The mounts of the last list, to log when they change; only the polling thread. */
    private List<String> lastListed = List.of();

    /** @param counters this server's listeners, for the room it reports */
    public MasterRelays(Relays relays, StreamListClient client, Supplier<ServerConfig> config, ServerCounters counters,
                        ThreadFactory threads) {
        this.counters = counters;
        this.relays = relays;
        this.client = client;
        this.config = config;
        this.threads = threads;
    }

    /** Starts polling; the first fetch happens at once. */
    public void start() {
        lock.lock();
        try {
            if (thread == null && !closed) {
                thread = threads.newThread(this::run);
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** After a reload: fetch now with the new settings instead of at the end of the old interval. */
    public void reloaded() {
        lock.lock();
        try {
            wake = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            woken.signalAll();
            running = thread;
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.interrupt(); // ends a fetch waiting on the origin
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            Optional<MasterConfig> master = config.get().master();
            try {
                master.ifPresentOrElse(this::update, () -> {
                    if (listedFor.isPresent()) {
                        relays.syncFromMaster(List.of());
                        listedFor = Optional.empty();
                    }
                });
            } catch (RuntimeException e) {
                // one bad round must not end master relaying for the rest of the server's life
                LOG.log(System.Logger.Level.ERROR, "master relaying: " + e, e);
            }
            if (!await(master.map(MasterConfig::interval).orElse(WITHOUT_MASTER))) {
                return;
            }
        }
    }

    /** One fetch of the list and the relays brought in line with it. */
    void update(MasterConfig master) {
        ServerConfig now = config.get();
        Listing listing = client.fetch(master.streamListUrl(room(now)), master.username(), master.password(),
                now.limits().sourceIdleTimeout());
        switch (listing) {
            case Listing.Listed listed -> {
                relays.syncFromMaster(relaysFor(master, listed.mounts()));
                if (!listed.mounts().equals(lastListed)) {
                    LOG.log(System.Logger.Level.INFO, "{0}: lists {1}", master, listed.mounts());
                    lastListed = listed.mounts();
                }
                listedFor = Optional.of(master);
            }
            case Listing.Failed failed -> {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}; the relays stay as they are, next try in {2} s",
                        master, failed.why(), master.interval().toSeconds());
                if (listedFor.isPresent() && !listedFor.get().equals(master)) {
                    // another master since the last list: its relays are not this one's
                    relays.syncFromMaster(List.of());
                    listedFor = Optional.empty();
                }
            }
        }
    }

    /** The listener places this server has free; empty without a listener limit. */
    private OptionalInt room(ServerConfig now) {
        int max = now.limits().maxListeners();
        return max > 0 ? OptionalInt.of(Math.max(0, max - counters.listeners())) : OptionalInt.empty();
    }

    /** The same relay for the same mount on every fetch, so that {@link Relays} leaves it running. */
    static List<RelayConfig> relaysFor(MasterConfig master, List<String> mounts) {
        List<RelayConfig> wanted = new ArrayList<>();
        for (String mount : mounts) {
            // the origin's relay account is sent only with a password, as a relay entry's credentials
            Optional<String> user = master.password().map(p -> master.username());
            wanted.add(new RelayConfig(master.streamUrl(mount), mount, user, master.password(), master.onDemand(),
                    true, RelayConfig.DEFAULT_GRACE, RelayConfig.DEFAULT_IDLE));
        }
        return wanted;
    }

    /** @return false once closed */
    private boolean await(Duration interval) {
        lock.lock();
        try {
            long nanos = interval.toNanos();
            while (!closed && !wake && nanos > 0) {
                nanos = woken.awaitNanos(nanos);
            }
            wake = false;
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }
}
