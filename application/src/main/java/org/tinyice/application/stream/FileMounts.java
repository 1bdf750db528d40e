package org.tinyice.application.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.FallbackFiles.FallbackFile;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;

/**
 * File mounts: a path that a fallback names, where no source streams, but where a file of that name
 * exists ({@link FallbackFiles}), plays that file in a loop as an ordinary mount. TinyIce is then the
 * mount's source: one {@link FilePlayer} thread per file publishes into the mount's ring at the file's
 * own pace, so all its listeners hear the same position.
 *
 * <p>A file mount starts when it is first needed (a source leaves and its chain leads to the file, a
 * listener arrives for a mount that is down) and stops once it has had no listeners for
 * {@link Timing#linger()}. A source that connects to the path takes it over (the player stops, its
 * listeners stay). Starting, finding and retiring a file mount take one lock, so a listener who was
 * handed a file mount never sees it stop for lack of listeners before it joins.
 *
 * <p>A take-over stops the players between two stretches ({@link #freeze}); the new process plays each
 * file on from the position the old one's mount had reached ({@link #continuePlaying}).
 */
public final class FileMounts implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileMounts.class.getName());

    /** A started file mount: its mount and the source session the player feeds. */
    record Started(Mount mount, SourceSession session) { }

    /**
     * Starts a file mount's source session: no credentials, not counted as a source. Only
     * {@link SourceService} gives one, and only to this package: no network client can reach it.
     */
    @FunctionalInterface
    interface FileSources {
        /** @return empty when a source took the path first */
        Optional<Started> start(String path, SourceInfo source, Runnable stop);
    }

    /** Waits; a test's clock can pretend. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /**
     * @param linger    how long a file mount keeps playing without listeners
     * @param clock     when a file mount started (status)
     * @param nanoClock the pace of the players
     * @param sleeper   how players wait for their next stretch of audio
     * @param threads   one thread per playing file
     */
    public record Timing(Duration linger, Clock clock, LongSupplier nanoClock, Sleeper sleeper, ThreadFactory threads) {
        /**
         * Half a minute: long enough that listeners who reconnect at once find the same position,
         * short enough that an unused file does not keep showing in status.
         */
        public static Timing real() {
            return new Timing(Duration.ofSeconds(30), Clock.systemUTC(), System::nanoTime,
                    nanos -> Thread.sleep(Duration.ofNanos(nanos)),
                    Thread.ofVirtual().name("tinyice-file-", 0).factory());
        }
    }

    private final MountRegistry mounts;
    private final FallbackFiles files;
    private final Supplier<ServerConfig> config;
    private final FileSources sources;
    private final Timing timing;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, FilePlayer> playing = new ConcurrentHashMap<>();
    private boolean closed; // guarded by lock

    FileMounts(MountRegistry mounts, FallbackFiles files, Supplier<ServerConfig> config, FileSources sources,
               Timing timing) {
        this.mounts = mounts;
        this.files = files;
        this.config = config;
        this.sources = sources;
        this.timing = timing;
    }

    /** File mounts that never play: live mounts only. */
    static FileMounts none(MountRegistry mounts, Supplier<ServerConfig> config) {
        return new FileMounts(mounts, FallbackFiles.NONE, config, (path, source, stop) -> Optional.empty(),
                Timing.real());
    }

    /**
     * The mount that serves {@code path} now: the source's that streams there, else the file that
     * plays as {@code path} (started now if need be). Only paths that some mount names as its
     * fallback play from a file. Empty when nothing can serve {@code path}.
     */
    public Optional<Mount> serve(String path) {
        Optional<Mount> live = mounts.find(path);
        if (live.isPresent() && !isFileMount(live.get())) {
            return live; // a source's mount: no lock on the common path
        }
        if (live.isEmpty() && !config.get().isFallback(path)) {
            return live;
        }
        lock.lock();
        try {
            live = mounts.find(path);
            if (live.isPresent()) {
                FilePlayer player = playing.get(path);
                if (player != null && player.mount() == live.get()) {
                    player.wanted(timing.nanoClock().getAsLong());
                }
                return live;
            }
            return closed || !config.get().isFallback(path) ? Optional.empty() : start(path);
        } finally {
            lock.unlock();
        }
    }

    private Optional<Mount> start(String path) {
        Optional<FallbackFile> file = files.find(path);
        if (file.isEmpty() || !config.get().mount(path).enabled()) { // a disabled mount plays no file either
            return Optional.empty();
        }
        FilePlayer player = player(file.get(), 0);
        SourceInfo source = new SourceInfo(file.get().contentType(), Map.of(), "TinyIce file player", "",
                timing.clock().instant());
        Optional<Started> started = sources.start(path, source, player::stop);
        if (started.isEmpty()) {
            return mounts.find(path); // a source got there first
        }
        playing.put(path, player);
        player.begin(started.get(), timing.nanoClock().getAsLong());
        LOG.log(System.Logger.Level.INFO, "playing {0} as a file mount", path);
        return Optional.of(started.get().mount());
    }

    private FilePlayer player(FallbackFile file, long startAt) {
        MountConfig settings = config.get().mount(file.mountPath());
        return new FilePlayer(this, file, settings.fileBitrate().orElse(MountConfig.DEFAULT_FILE_BITRATE), timing,
                startAt);
    }

    /**
     * A take-over's old process: every player stops between two stretches, its mount kept for the
     * hand-over.
     *
     * @return by mount path, the file position of the first byte each mount has not had
     */
    Map<String, Long> freeze() throws InterruptedException {
        List<FilePlayer> players;
        lock.lock();
        try {
            players = List.copyOf(playing.values());
        } finally {
            lock.unlock();
        }
        Map<String, Long> positions = new java.util.LinkedHashMap<>();
        for (FilePlayer player : players) {
            java.util.OptionalLong position = player.freeze();
            if (position.isPresent() && mounts.find(player.path()).orElse(null) == player.mount()) {
                positions.put(player.path(), position.getAsLong());
            }
        }
        return positions;
    }

    /**
     * The file that plays as {@code started}'s mount plays on from {@code position}: in the new process of a
     * take-over, or in the old one when it failed.
     *
     * @return false if no file plays as that path here (the mount is not a fallback, or its file is gone)
     */
    boolean continuePlaying(Started started, long position) {
        String path = started.mount().path();
        Optional<FallbackFile> file = files.find(path);
        lock.lock();
        try {
            if (closed || file.isEmpty() || !config.get().isFallback(path)) {
                return false;
            }
            FilePlayer player = player(file.get(), position);
            playing.put(path, player);
            player.begin(started, timing.nanoClock().getAsLong());
            LOG.log(System.Logger.Level.INFO, "playing {0} as a file mount, on from byte {1} of the file", path,
                    String.valueOf(position));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the player of {@code path}, if one plays (a continued file mount's "kill source"; a source taking over). */
    void stopPlaying(String path) {
        FilePlayer player = playing.get(path);
        if (player != null) {
            player.stop();
        }
    }

    /** Whether {@code mount} is one of the file mounts playing now. */
    public boolean isFileMount(Mount mount) {
        FilePlayer player = playing.get(mount.path());
        return player != null && player.mount() == mount;
    }

    /** The paths that play from a file now. */
    public List<String> playing() {
        return playing.keySet().stream().sorted().toList();
    }

    /**
     * A player asks whether to stop: yes when its mount has had no listener, and nobody has been
     * handed it, for the linger time. Then its mount ends here, under the lock that {@link #serve}
     * takes, so no listener can be handed a mount that is going away.
     */
    boolean retireIfIdle(FilePlayer player, long nowNanos) {
        if (!player.idleFor(timing.linger().toNanos(), nowNanos)) {
            return false;
        }
        lock.lock();
        try {
            if (!player.idleFor(timing.linger().toNanos(), nowNanos)) {
                return false;
            }
            playing.remove(player.path(), player);
            player.session().finish();
            LOG.log(System.Logger.Level.INFO, "stopped the file mount {0}: no listeners", player.path());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A player's thread ended (stopped, taken over, the file unreadable). */
    void ended(FilePlayer player) {
        playing.remove(player.path(), player);
    }

    /** Stops every player and waits (a few seconds at most) for their mounts to end; none starts again. */
    @Override
    public void close() {
        List<FilePlayer> players;
        lock.lock();
        try {
            closed = true;
            players = List.copyOf(playing.values());
        } finally {
            lock.unlock();
        }
        players.forEach(FilePlayer::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (FilePlayer player : players) {
            try {
                player.join(Math.max(1, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
