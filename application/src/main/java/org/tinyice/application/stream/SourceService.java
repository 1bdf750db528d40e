package org.tinyice.application.stream;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.config.LowLatency;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.StartSourceUseCase;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.ChunkPolicy;
import org.tinyice.domain.stream.StreamAssembler;
import org.tinyice.domain.stream.StreamFormat;
import org.tinyice.domain.stream.StreamRing;

/**
 * Admits sources: credentials first, then the declared content type (audio or video only), then the
 * source limit, then the mount itself (first come, first served: a second source gets "in use" and
 * the first is untouched). A mount that plays from a file ({@link FileMounts}) is the exception: a
 * source with the right credentials takes it over, and its listeners stay.
 *
 * <p>Relays ({@link Relays}) start their mounts through {@link #startRelaySource}, also package-private.
 *
 * <p>File mounts are sources too, started by {@link FileMounts} through {@link #startFileSource}: no
 * credentials, not counted against {@code max_sources}. That method is package-private and not part
 * of {@link StartSourceUseCase}, so no network client can reach it.
 */
public final class SourceService implements StartSourceUseCase {

    /**
     * Chunks a ring keeps. Chunks hold at most 16 KiB or 500 ms ({@code ChunkPolicy.DEFAULT}), so at
     * 128 kbit/s this is ~4 MiB or ~4 minutes: enough for any burst size and for listeners on a
     * jittery link; small chunks (a lower {@code limits.chunk_ms}) cost only what they hold.
     */
    static final int RING_CHUNKS = 512;

    private final MountRegistry mounts;
    private final CredentialChecker credentials;
    private final Supplier<ServerConfig> config;
    private final ServerCounters counters;
    /** The size limit of chunks; their delay comes from the configuration in force (see {@link #chunkPolicyFor}). */
    private final ChunkPolicy chunkPolicy;
    /** The last policy made from {@code limits.chunk_ms}: reused while the setting stays (read per source read). */
    private volatile ChunkPolicy timedChunks;
    /** Likewise for the low-latency mounts' {@code low_latency_gather_ms}. */
    private volatile ChunkPolicy lowLatencyChunks;
    private final FileMounts fileMounts;
    private final Fallbacks fallbacks;
    /** The sessions of file mounts, by mount: what a source may take over. */
    private final Map<Mount, Session> fileSessions = new ConcurrentHashMap<>();
    /** Per mount whose source was handed over: what its assembler had not published (see {@link #releasedBytes}). */
    private final Map<Mount, byte[]> releasedBytes = new ConcurrentHashMap<>();

    /**
     * Builds its {@link FileMounts} and {@link Fallbacks} itself, where every other service is wired in
     * bootstrap, because the three form a cycle: a file mount is started through this service (no
     * credentials, {@link #startFileSource}), and a source that ends here hands its listeners to a
     * fallback chain that may start a file mount. Made here, the cycle is closed once, privately; the
     * factory takes the two from {@link #fileMounts()} and {@link #fallbacks()}.
     *
     * @param chunkPolicy the size limit of chunks; how long reads are gathered is not its delay but the
     *                    configuration's in force at each read ({@link #chunkPolicyFor})
     * @param files  files that play as the mounts fallbacks name, when no source streams there
     * @param timing how file mounts are paced, and how long they play without listeners
     */
    public SourceService(MountRegistry mounts, CredentialChecker credentials, Supplier<ServerConfig> config,
                         ServerCounters counters, ChunkPolicy chunkPolicy, FallbackFiles files,
                         FileMounts.Timing timing) {
        this.mounts = mounts;
        this.credentials = credentials;
        this.config = config;
        this.counters = counters;
        this.chunkPolicy = chunkPolicy;
        this.timedChunks = chunkPolicy;
        this.lowLatencyChunks = chunkPolicy;
        // the file players start their mounts through this service: FileMounts only keeps the reference
        this.fileMounts = new FileMounts(mounts, files, config, this::startFileSource, timing);
        this.fallbacks = new Fallbacks(config, fileMounts);
    }

    /** The fallback chains, file mounts included: listeners who arrive for a mount that is down need them too. */
    public Fallbacks fallbacks() {
        return fallbacks;
    }

    /** The file mounts this service starts; close them at shutdown. */
    public FileMounts fileMounts() {
        return fileMounts;
    }

    @Override
    public SourceAdmission start(StartSourceCommand command) {
        if (!command.validMount()) {
            return new SourceAdmission.InvalidMount();
        }
        if (!credentials.checkSource(command.mountPath(), command.credentials(), command.source().remoteAddress())
                .accepted()) {
            return new SourceAdmission.Unauthorized();
        }
        if (!StreamFormat.isStreamable(command.source().contentType())) {
            return new SourceAdmission.UnsupportedContentType();
        }
        if (!config.get().mount(command.mountPath()).enabled()) {
            return new SourceAdmission.MountDisabled();
        }
        Optional<Mount> existing = mounts.find(command.mountPath());
        Session playingFile = existing.map(fileSessions::get).orElse(null);
        if (existing.isPresent() && playingFile == null) {
            return new SourceAdmission.MountInUse();
        }
        if (!counters.tryAddSource(config.get().limits().maxSources())) {
            return new SourceAdmission.TooManySources();
        }
        Supplier<Mount> create = () -> new Mount(command.mountPath(), command.source(), new StreamRing(RING_CHUNKS),
                command.disconnect());
        // a file mount is replaced in one step: the path is never empty, so no listener starts the file again
        Optional<Mount> replaced = playingFile == null ? Optional.empty() : mounts.replace(existing.get(), create);
        Optional<Mount> claimed = replaced.or(() -> mounts.claim(command.mountPath(), create));
        if (claimed.isEmpty()) {
            counters.removeSource();
            return new SourceAdmission.MountInUse();
        }
        if (replaced.isEmpty() && !config.get().mount(command.mountPath()).enabled()) {
            // disabled while this source was being admitted: the dashboard's kill may have come before the claim
            mounts.release(claimed.get());
            counters.removeSource();
            return new SourceAdmission.MountDisabled();
        }
        if (replaced.isPresent()) {
            playingFile.handOverTo(claimed.get());
        }
        counters.sourceConnected();
        if (config.get().mount(command.mountPath()).fallbackOverride()) {
            bringListenersHome(claimed.get());
        }
        return new SourceAdmission.Started(new Session(claimed.get()));
    }

    /** A file mount's source: see {@link FileMounts}. Package-private: never for network clients. */
    Optional<FileMounts.Started> startFileSource(String path, SourceInfo source, Runnable stop) {
        Mount mount = new Mount(path, source, new StreamRing(RING_CHUNKS), stop);
        Session session = new Session(mount, true);
        fileSessions.put(mount, session); // before the mount is visible, so a source can always take it over
        if (mounts.claim(path, () -> mount).isEmpty()) {
            fileSessions.remove(mount);
            return Optional.empty();
        }
        return Optional.of(new FileMounts.Started(mount, session));
    }

    /**
     * A relay's source ({@link Relays}): no credentials (the configuration names it), counted as a
     * source in status but not held to {@code max_sources}, which is for encoders that connect.
     * Package-private: never for network clients.
     *
     * @param disconnect what admin "kill source" does to the relay: ends its upstream connection
     */
    Optional<Relays.Claimed> startRelaySource(String path, SourceInfo source, Runnable disconnect) {
        if (!config.get().mount(path).enabled()) {
            return Optional.empty();
        }
        counters.tryAddSource(0);
        Optional<Mount> claimed = mounts.claim(path, () -> new Mount(path, source, new StreamRing(RING_CHUNKS),
                disconnect));
        if (claimed.isEmpty()) {
            counters.removeSource();
            return Optional.empty();
        }
        counters.sourceConnected();
        if (config.get().mount(path).fallbackOverride()) {
            bringListenersHome(claimed.get());
        }
        return Optional.of(new Relays.Claimed(claimed.get(), new Session(claimed.get())));
    }

    /**
     * A mount continued from another process (a take-over): its ring goes on at the old one's
     * sequences with the chunks it held, its title and counters go on. Counted as a source, not as a
     * new connection. Package-private: only {@link StreamHandOver} calls it.
     */
    Optional<SourceSession> continueSource(HandOverStreamsUseCase.MountState state, Runnable disconnect) {
        counters.tryAddSource(0);
        Optional<Session> session = continued(state, disconnect, false);
        if (session.isEmpty()) {
            counters.removeSource();
        }
        return session.map(SourceSession.class::cast);
    }

    /**
     * A file mount continued from another process (a take-over), as {@link #continueSource}; its session
     * is a file mount's (not counted as a source; a source that connects takes the path over).
     */
    Optional<FileMounts.Started> continueFileSource(HandOverStreamsUseCase.MountState state, Runnable stop) {
        return continued(state, stop, true).map(session -> new FileMounts.Started(session.mount, session));
    }

    private Optional<Session> continued(HandOverStreamsUseCase.MountState state, Runnable disconnect, boolean file) {
        java.util.List<org.tinyice.domain.stream.Chunk> chunks = state.chunks().stream()
                .map(c -> new org.tinyice.domain.stream.Chunk(c.sequence(), c.bytes(), c.title(), c.headers()))
                .toList();
        StreamRing ring = StreamRing.continuing(RING_CHUNKS, state.head(), chunks);
        ring.headers(state.headers());
        Mount mount = new Mount(state.path(), state.source(), ring, disconnect);
        Session session = new Session(mount, file);
        if (file) {
            fileSessions.put(mount, session); // before the mount is visible, as for a file mount started here
        }
        if (mounts.claim(state.path(), () -> mount).isEmpty()) {
            fileSessions.remove(mount);
            return Optional.empty();
        }
        mount.continueCounters(state.listenerPeak(), state.bytesRead(), state.bytesSent());
        if (state.titleSet()) {
            mount.title(state.title());
        } else {
            ring.title(state.title());
        }
        session.continueWith(state.unassembled());
        return Optional.of(session);
    }

    /** A mount whose source was handed over, kept after all (the take-over failed): a new session for it. */
    SourceSession resumeSource(Mount mount) {
        return resumed(mount, false);
    }

    /** As {@link #resumeSource}, for a file mount: its player plays on. */
    FileMounts.Started resumeFileSource(Mount mount) {
        return new FileMounts.Started(mount, resumed(mount, true));
    }

    private Session resumed(Mount mount, boolean file) {
        Session session = new Session(mount, file);
        if (file) {
            fileSessions.put(mount, session);
        }
        byte[] released = releasedBytes.remove(mount);
        if (released != null) {
            session.continueWith(released);
        }
        return session;
    }

    /**
     * What the source of {@code mount} had sent that its assembler could not publish yet when it was
     * handed over (see {@link StreamAssembler#release}); empty if nothing. Package-private: for
     * {@link StreamHandOver}.
     */
    byte[] releasedBytes(Mount mount) {
        return releasedBytes.getOrDefault(mount, new byte[0]);
    }

    /** Fallback override: listeners who came for this mount and were parked on a fallback come back. */
    private void bringListenersHome(Mount home) {
        for (Mount other : mounts.all()) {
            if (other == home) {
                continue;
            }
            boolean any = false;
            for (var listener : other.listeners()) {
                if (listener.home().equals(home.path())) {
                    listener.requestMove(home);
                    any = true;
                }
            }
            if (any) {
                other.ring().nudge();
            }
        }
    }

    /**
     * How a mount's reads are gathered now: for {@code low_latency_gather_ms} on a low-latency mount,
     * else for {@code limits.chunk_ms}. Asked at every read, so the dashboard's toggle and a reload (SIGHUP)
     * apply to sources already streaming, and so to their listeners.
     */
    ChunkPolicy chunkPolicyFor(String path) {
        ServerConfig now = config.get();
        LowLatency latency = now.mount(path).lowLatency();
        if (latency.enabled()) {
            ChunkPolicy low = lowLatencyChunks;
            long gather = latency.gather().toNanos();
            if (low.maxDelayNanos() != gather) {
                low = low.withMaxDelay(gather);
                lowLatencyChunks = low;
            }
            return low;
        }
        ChunkPolicy timed = timedChunks;
        long delay = now.limits().chunkDelay().toNanos();
        if (timed.maxDelayNanos() != delay) {
            timed = timed.withMaxDelay(delay);
            timedChunks = timed;
        }
        return timed;
    }

    private final class Session implements SourceSession {
        private final Mount mount;
        private final boolean file;
        private final StreamAssembler assembler;
        private final AtomicBoolean finished = new AtomicBoolean();
        /** The source's thread and the flush timer share the (single-threaded) assembler. */
        private final ReentrantLock lock = new ReentrantLock();

        Session(Mount mount) {
            this(mount, false);
        }

        /** @param file a file mount's: not counted as a source */
        Session(Mount mount, boolean file) {
            this.mount = mount;
            this.file = file;
            String path = mount.path();
            this.assembler = StreamAssembler.forFormat(mount.format(), mount.ring(), () -> chunkPolicyFor(path));
        }

        @Override
        public String mountPath() {
            return mount.path();
        }

        @Override
        public void receive(byte[] data, int offset, int length) {
            mount.countRead(length);
            lock.lock();
            try {
                if (!finished.get()) { // a file player's last stretch may come after a source took over
                    assembler.accept(data, offset, length, System.nanoTime());
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void flushIfDue() {
            // tryLock: if the source thread holds it, it is publishing anyway
            if (lock.tryLock()) {
                try {
                    assembler.flushIfDue(System.nanoTime());
                } finally {
                    lock.unlock();
                }
            }
        }

        @Override
        public void finish() {
            if (finished.compareAndSet(false, true)) {
                lock.lock();
                try {
                    assembler.flush();
                } finally {
                    lock.unlock();
                }
                if (file) {
                    fileSessions.remove(mount);
                }
                mounts.release(mount);
                if (mount.listenerCount() > 0) {
                    // listeners move on to the fallback (same connection) before the stream ends under them;
                    // with none, no file mount is started for nobody
                    fallbacks.liveFallbackOf(mount.path()).ifPresent(mount::moveListenersTo);
                }
                mount.end();
                if (!file) {
                    counters.removeSource();
                }
            }
        }

        @Override
        public void handOver() {
            if (finished.compareAndSet(false, true)) {
                lock.lock();
                try {
                    byte[] rest = assembler.release();
                    if (rest.length > 0) {
                        releasedBytes.put(mount, rest);
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        /** Takes what another session released (a take-over), before the source's next bytes: counted there. */
        void continueWith(byte[] released) {
            if (released.length == 0) {
                return;
            }
            lock.lock();
            try {
                assembler.accept(released, 0, released.length, System.nanoTime());
            } finally {
                lock.unlock();
            }
        }

        /**
         * A source took this file mount's path over ({@code successor} is already in the registry): the
         * player stops, what it sent is published, and the listeners move to the source's stream.
         */
        void handOverTo(Mount successor) {
            if (finished.compareAndSet(false, true)) {
                fileSessions.remove(mount);
                mount.disconnectSource(); // stops the player
                lock.lock();
                try {
                    assembler.flush();
                } finally {
                    lock.unlock();
                }
                mount.moveListenersTo(successor);
                mount.end();
            }
        }
    }
}
