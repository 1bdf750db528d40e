package org.tinyice.application.service;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.StartSourceUseCase;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.ChunkPolicy;
import org.tinyice.domain.stream.StreamAssembler;
import org.tinyice.domain.stream.StreamRing;

/**
 * Admits sources: credentials first, then the source limit, then the mount itself (first come,
 * first served: a second source gets "in use" and the first is untouched).
 */
public final class SourceService implements StartSourceUseCase {

    /**
     * Chunks a ring keeps. Chunks are 4 KiB or less, so at 128 kbit/s this is ~2 MiB or ~2 minutes:
     * enough for any burst size and for listeners on a jittery link; small chunks at low bitrates
     * (time-flushed) cost only what they hold.
     */
    static final int RING_CHUNKS = 512;

    private final MountRegistry mounts;
    private final CredentialChecker credentials;
    private final Supplier<ServerConfig> config;
    private final ServerCounters counters;
    private final ChunkPolicy chunkPolicy;
    private final Fallbacks fallbacks;

    public SourceService(MountRegistry mounts, CredentialChecker credentials, Supplier<ServerConfig> config,
                         ServerCounters counters, ChunkPolicy chunkPolicy) {
        this.mounts = mounts;
        this.credentials = credentials;
        this.config = config;
        this.counters = counters;
        this.chunkPolicy = chunkPolicy;
        this.fallbacks = new Fallbacks(mounts, config);
    }

    @Override
    public SourceAdmission start(StartSourceCommand command) {
        if (!command.validMount()) {
            return new SourceAdmission.InvalidMount();
        }
        if (!credentials.maySource(command.mountPath(), command.credentials())) {
            return new SourceAdmission.Unauthorized();
        }
        if (mounts.find(command.mountPath()).isPresent()) {
            return new SourceAdmission.MountInUse();
        }
        if (!counters.tryAddSource(config.get().limits().maxSources())) {
            return new SourceAdmission.TooManySources();
        }
        Optional<Mount> claimed = mounts.claim(command.mountPath(), () -> new Mount(command.mountPath(),
                command.source(), new StreamRing(RING_CHUNKS), command.disconnect()));
        if (claimed.isEmpty()) {
            counters.removeSource();
            return new SourceAdmission.MountInUse();
        }
        counters.sourceConnected();
        if (config.get().mount(command.mountPath()).fallbackOverride()) {
            bringListenersHome(claimed.get());
        }
        return new SourceAdmission.Started(new Session(claimed.get()));
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

    private final class Session implements SourceSession {
        private final Mount mount;
        private final StreamAssembler assembler;
        private final AtomicBoolean finished = new AtomicBoolean();
        /** The source's thread and the flush timer share the (single-threaded) assembler. */
        private final ReentrantLock lock = new ReentrantLock();

        Session(Mount mount) {
            this.mount = mount;
            this.assembler = StreamAssembler.forFormat(mount.format(), mount.ring(), chunkPolicy);
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
                assembler.accept(data, offset, length, System.nanoTime());
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
                mounts.release(mount);
                // listeners move on to the fallback (same connection) before the stream ends under them
                fallbacks.liveFallbackOf(mount.path()).ifPresent(mount::moveListenersTo);
                mount.end();
                counters.removeSource();
            }
        }
    }
}
