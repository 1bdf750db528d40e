package org.tinyice.application.service;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.ListenUseCase;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.RingCursor;

/**
 * Admits listeners within the mount's and the server's limits and places them for the burst. A
 * listener who asks for a mount that is down is served by its live fallback, if it has one, and
 * remembers where it wanted to be (fallback override brings it back).
 */
public final class ListenerService implements ListenUseCase {

    private final MountRegistry mounts;
    private final Supplier<ServerConfig> config;
    private final ServerCounters counters;
    private final Clock clock;
    private final Fallbacks fallbacks;

    public ListenerService(MountRegistry mounts, Supplier<ServerConfig> config, ServerCounters counters, Clock clock) {
        this.mounts = mounts;
        this.config = config;
        this.counters = counters;
        this.clock = clock;
        this.fallbacks = new Fallbacks(mounts, config);
    }

    @Override
    public ListenAdmission listen(ListenCommand command) {
        Optional<Mount> found = mounts.find(command.mountPath()).or(() -> fallbacks.liveFallbackOf(command.mountPath()));
        if (found.isEmpty()) {
            return new ListenAdmission.NotFound();
        }
        Mount mount = found.get();
        ServerConfig now = config.get();
        if (!counters.tryAddListener(now.limits().maxListeners())) {
            return new ListenAdmission.ServerFull();
        }
        Listener listener = new Listener(command.mountPath(), command.remoteAddress(), command.userAgent(),
                clock.instant(), command.disconnect());
        if (!mount.tryAdd(listener, now.mount(mount.path()).maxListeners())) {
            counters.removeListener();
            return new ListenAdmission.MountFull();
        }
        counters.listenerConnected();
        RingCursor cursor = RingCursor.withBurst(mount.ring(), now.burstSizeFor(mount.path()));
        return new ListenAdmission.Admitted(new Session(mount, listener, cursor));
    }

    private final class Session implements ListenerSession {
        private final Listener listener;
        private final AtomicBoolean left = new AtomicBoolean();
        private volatile Mount mount;
        private RingCursor cursor;

        Session(Mount mount, Listener listener, RingCursor cursor) {
            this.mount = mount;
            this.listener = listener;
            this.cursor = cursor;
        }

        @Override
        public Mount mount() {
            return mount;
        }

        @Override
        public Listener listener() {
            return listener;
        }

        @Override
        public RingCursor cursor() {
            return cursor;
        }

        @Override
        public boolean followMove() {
            Mount destination = listener.takeMoveRequest();
            if (destination == null || destination == mount || left.get()) {
                return false;
            }
            // a move is an operator's or a fallback's decision: the destination's listener limit does not apply
            destination.tryAdd(listener, 0);
            mount.remove(listener);
            mount = destination;
            cursor = new RingCursor(destination.ring(), destination.ring().head());
            return true;
        }

        @Override
        public void leave() {
            if (left.compareAndSet(false, true)) {
                mount.remove(listener);
                counters.removeListener();
            }
        }
    }
}
