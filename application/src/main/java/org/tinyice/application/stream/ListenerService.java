package org.tinyice.application.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tinyice.application.access.ClientAddresses;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.history.HistoryEvent;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.ListenUseCase;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.out.ListenerAuthHook;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.RingCursor;

/**
 * Admits listeners: a look at the server's and the mount's limits first (a listener who cannot get in
 * costs no password hash and no call to an operator's hook), then the mount's listener authentication,
 * then the limits for real (places are taken only once admitted, so a listener waiting on a hook is
 * neither counted nor listed), then a cursor placed for the burst. A {@code HEAD} never calls the URL
 * hook: on such a mount it gets the answer of a listener the hook refused.
 *
 * <p>A listener who asks for a mount that is down is served by its live fallback, if it has one (a file
 * mount starts for it if the chain leads to a file), and remembers where it wanted to be (fallback
 * override brings it back). The requested mount's authentication applies, wherever the listener ends up.
 *
 * <p>A listener who would be refused because the mount or the server is full is sent to an edge with room
 * instead, if there is one ({@link EdgeRedirects}), as Icecast-KH does; without one it is refused as
 * ever. An edge's relay is never sent away (see {@link #pullsPastLimits}).
 */
public final class ListenerService implements ListenUseCase {

    private final Supplier<ServerConfig> config;
    private final ServerCounters counters;
    private final Clock clock;
    private final Fallbacks fallbacks;
    private final CredentialChecker credentials;
    private final ListenerAuthHook authHook;

    private final Consumer<HistoryEvent> history;
    private final ClientAddresses addresses;
    private final EdgeRedirects edges;

    /**
     * @param history   receives a session record for every listener that leaves (non-blocking)
     * @param fallbacks the source side's fallback chains ({@link SourceService#fallbacks()}), so that a listener
     *                  who arrives while its mount is down can start a file mount
     * @param edges     where listeners go when this server or their mount is full
     */
    public ListenerService(Supplier<ServerConfig> config, ServerCounters counters, Clock clock,
                           CredentialChecker credentials, ListenerAuthHook authHook, Consumer<HistoryEvent> history,
                           ClientAddresses addresses, Fallbacks fallbacks, EdgeRedirects edges) {
        this.edges = edges;
        this.history = history;
        this.addresses = addresses;
        this.config = config;
        this.counters = counters;
        this.clock = clock;
        this.fallbacks = fallbacks;
        this.credentials = credentials;
        this.authHook = authHook;
    }

    @Override
    public ListenAdmission listen(ListenCommand command) {
        Optional<Mount> found = fallbacks.mountFor(command.mountPath())
                .or(() -> fallbacks.liveFallbackOf(command.mountPath()));
        if (found.isEmpty()) {
            return new ListenAdmission.NotFound();
        }
        Mount mount = found.get();
        ServerConfig now = config.get();
        Listener listener = new Listener(command.mountPath(), command.remoteAddress(), command.userAgent(),
                clock.instant(), command.disconnect());
        MountConfig requested = now.mount(command.mountPath());
        int mountMax = now.mount(mount.path()).maxListeners();
        int serverMax = now.limits().maxListeners();
        Optional<ListenAdmission> full = !counters.hasRoomForListener(serverMax)
                ? Optional.of(new ListenAdmission.ServerFull())
                : mount.isFull(mountMax) ? Optional.of(new ListenAdmission.MountFull()) : Optional.empty();
        if (full.isPresent()) {
            if (!pullsPastLimits(now, command)) {
                return redirectOr(full.get());
            }
            serverMax = 0;
            mountMax = 0;
        }
        if (command.headOnly() && requested.auth() instanceof ListenerAuth.UrlHook) {
            // asking the hook would announce a listener who never comes: Icecast answers no HEAD at all
            return new ListenAdmission.Unauthorized(command.credentials().isEmpty());
        }
        Optional<ListenAdmission> refused = authenticate(requested.auth(), listener, command.credentials());
        if (refused.isPresent()) {
            counters.listenerAuthFailed();
            return refused.get();
        }
        if (!counters.tryAddListener(serverMax)) {
            return redirectOr(new ListenAdmission.ServerFull());
        }
        if (!mount.tryAdd(listener, mountMax)) {
            counters.removeListener();
            return redirectOr(new ListenAdmission.MountFull());
        }
        counters.listenerConnected();
        MountConfig serving = now.mount(mount.path());
        // a low-latency mount's burst is a time (half a second by default), so its listeners start close to live
        RingCursor cursor = serving.lowLatency().enabled()
                ? RingCursor.withBurstOfAge(mount.ring(), serving.lowLatency().burst().toNanos())
                : RingCursor.withBurst(mount.ring(), now.burstSizeFor(mount.path()));
        return new ListenAdmission.Admitted(new Session(mount, listener, cursor, requested.auth(),
                command.credentials()));
    }

    /**
     * A listener continued from another process (a take-over) in {@code mount}, which was continued
     * already: its counters and its place in the ring go on; no limit, hook or credential applies (it
     * was admitted). Package-private: only {@link StreamHandOver} calls it.
     */
    HandOverStreamsUseCase.ContinuedListener continueListener(Mount mount, HandOverStreamsUseCase.ListenerState state,
                                                              Runnable disconnect) {
        Listener listener = new Listener(state.home(), state.remoteAddress(), state.userAgent(), state.connectedAt(),
                disconnect);
        listener.sent(state.bytesSent());
        listener.laps(state.laps());
        counters.tryAddListener(0);
        mount.tryAdd(listener, 0);
        Session session = new Session(mount, listener, new RingCursor(mount.ring(), state.position(), state.laps()),
                ListenerAuth.NONE, Optional.empty());
        return new HandOverStreamsUseCase.ContinuedListener(session, RingListenerFeed.continuing(session, counters, state));
    }

    /** To an edge with room; else the refusal a full server has always answered. */
    private ListenAdmission redirectOr(ListenAdmission refusal) {
        return edges.edgeForListener().<ListenAdmission>map(ListenAdmission.Redirected::new).orElse(refusal);
    }

    /**
     * Whether a request to a full mount or server comes from an edge's relay, which is let in past the
     * limits rather than sent to an edge: an edge relaying this mount exists to take listeners off this
     * server, so refusing it when this server is full would empty the edges exactly when they are needed,
     * and sending it to an edge could send it to itself or to another edge that asks this server again.
     * Icecast-KH does the same ("client is from a slave, bypassing limits"). An edge is known by what it
     * uses to fetch the stream list: the relay account's or the admin's credentials (checked only here,
     * when the mount is full, so a listener with room costs no hash). Anything else, even a relay without
     * credentials, is a listener: its relay follows the redirect, at most 10 times.
     */
    private boolean pullsPastLimits(ServerConfig now, ListenCommand command) {
        if (command.credentials().isEmpty()) {
            return false;
        }
        String user = command.credentials().get().user();
        if (user.equals(now.adminUser())) {
            return credentials.checkAdmin(command.credentials(), command.remoteAddress()).accepted();
        }
        return user.equals(now.relayUser())
                && credentials.checkRelay(command.credentials(), command.remoteAddress()).accepted();
    }

    private Optional<ListenAdmission> authenticate(ListenerAuth auth, Listener listener,
                                                   Optional<Credentials> given) {
        return switch (auth) {
            case ListenerAuth.None none -> Optional.empty();
            case ListenerAuth.StaticUsers users -> credentials.isListener(users, given)
                    ? Optional.empty() : Optional.of(new ListenAdmission.Unauthorized(true));
            case ListenerAuth.UrlHook hook -> {
                Credentials c = given.orElse(new Credentials("", ""));
                ListenerAuthHook.Decision decision = authHook.listenerAdd(hook.listenerAdd(),
                        new ListenerAuthHook.ListenerAdd(listener.id(), listener.home(), listener.remoteAddress(),
                                listener.userAgent(), c.user(), c.password()), hook.timeout());
                boolean admit = decision == ListenerAuthHook.Decision.ADMIT
                        || (decision == ListenerAuthHook.Decision.UNREACHABLE && hook.admitWhenDown());
                yield admit ? Optional.empty() : Optional.of(new ListenAdmission.Unauthorized(given.isEmpty()));
            }
        };
    }

    /**
     * A listener's place in the stream: its mount and its cursor change when it is moved. Only the
     * listener's own feed ({@link RingListenerFeed}) reads and moves them.
     */
    final class Session implements ListenerSession {
        private final Listener listener;
        private final AtomicBoolean left = new AtomicBoolean();
        private final ListenerAuth auth;
        private final Optional<Credentials> credentials;
        private volatile Mount mount;
        private RingCursor cursor;

        Session(Mount mount, Listener listener, RingCursor cursor, ListenerAuth auth,
                Optional<Credentials> credentials) {
            this.mount = mount;
            this.listener = listener;
            this.cursor = cursor;
            this.auth = auth;
            this.credentials = credentials;
        }

        Mount mount() {
            return mount;
        }

        Listener listener() {
            return listener;
        }

        RingCursor cursor() {
            return cursor;
        }

        @Override
        public SourceInfo source() {
            return mount.source();
        }

        @Override
        public ServerStatusQuery.ListenerStatus status() {
            return new ServerStatusQuery.ListenerStatus(listener.id(), listener.remoteAddress(), listener.userAgent(),
                    listener.connectedAt(), listener.bytesSent(), listener.laps());
        }

        /**
         * Carries out a pending move (admin "move clients", a fallback, a fallback override): leaves
         * the current mount, joins the destination at its live edge. Only the listener's own thread
         * calls this, before it reads the next chunk.
         *
         * @return true if the listener moved
         */
        boolean followMove() {
            // called before every chunk: a plain volatile read first, the atomic take only when asked
            if (!listener.hasMoveRequest()) {
                return false;
            }
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
        public ListenerFeed feed(boolean icyRequested) {
            return new RingListenerFeed(this, counters, icyRequested && mount.format().carriesIcyMetadata());
        }

        @Override
        public void leave() {
            if (left.compareAndSet(false, true)) {
                mount.remove(listener);
                counters.listenerLeft();
                // the history's record of a visit, not this use case's ListenerSession
                history.accept(new HistoryEvent.ListenerLeft(new org.tinyice.application.port.out.ListenerSession(
                        mount.path(), listener.connectedAt(), Duration.between(listener.connectedAt(), clock.instant()),
                        listener.bytesSent(), listener.userAgent(), addresses.forRecords(listener.remoteAddress()))));
                if (auth instanceof ListenerAuth.UrlHook hook && hook.listenerRemove().isPresent()) {
                    long seconds = Duration.between(listener.connectedAt(), clock.instant()).toSeconds();
                    authHook.listenerRemove(hook.listenerRemove().get(), new ListenerAuthHook.ListenerRemove(
                            listener.id(), listener.home(), listener.remoteAddress(), listener.userAgent(),
                            credentials.map(Credentials::user).orElse(""), seconds, listener.bytesSent()));
                }
            }
        }
    }
}
