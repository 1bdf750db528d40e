package org.tinyice.application.stream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.port.in.HandOverStreamsUseCase.FrozenRelay;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.in.RelayStatusQuery.RelayProblem;
import org.tinyice.application.port.in.RelayStatusQuery.RelayState;
import org.tinyice.application.port.in.RelayStatusQuery.RelayStatus;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.application.port.out.RelayClient.Opening;
import org.tinyice.application.port.out.RelayClient.Upstream;
import org.tinyice.domain.icy.IcyDeinterleaver;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.StreamFormat;

/**
 * One relay: a thread that opens the upstream, claims the local mount and feeds it what the
 * upstream sends, with the ICY metadata blocks taken out and their titles set on the mount. The
 * audio goes through {@link org.tinyice.application.port.in.StartSourceUseCase.SourceSession#receive}
 * like an encoder's, so burst, Ogg header pages for late joiners and ICY blocks for edge listeners
 * come for free.
 *
 * <p>When the upstream is lost the mount stays, silent, for the relay's grace period while the
 * relay tries again (with {@link RelayBackoff}); if the upstream comes back in time the same
 * listeners go on hearing it on the same connection. After the grace period the mount ends as when
 * a source leaves: listeners move to its fallback, or are let go. Admin "kill source" ends the
 * upstream connection and the mount at once (no grace: the admin wanted it gone); the relay
 * connects again after its backoff.
 *
 * <p>An on-demand relay waits for its first listener ({@link #awaitAudio}, through {@link Fallbacks}),
 * and disconnects, ending its mount, once nobody has listened for its idle time.
 *
 * <p>A take-over (zero-downtime update) stops a relay between two reads ({@link #freeze}) and hands its
 * upstream connection, with where its ICY de-interleaver stood, to the new process, whose relay of the
 * same upstream and mount reads on from the next byte ({@link Continued}); the old relay's thread then
 * ends without ending the mount, or, if the take-over failed, reads on itself ({@link #resume}).
 */
final class Relay implements Runnable {

    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    private static final int READ_BUFFER = 16 * 1024;
    /**
     * An upstream slower than this over a whole {@code limits.source_timeout} is cut as if silent: no
     * codec streams below 2 kbit/s, and a trickle (one byte a second) would otherwise hold the mount
     * and its listeners in silence for ever, since every read succeeds.
     */
    static final int MIN_BYTES_PER_SECOND = 256;
    /** How often a waiting relay looks at its grace deadline, a kill or a stop. */
    private static final long STEP_MILLIS = 100;

    private final RelayConfig config;
    private final boolean fromMaster;
    private final Relays owner;
    private volatile Thread thread;
    private volatile boolean stopped;
    private volatile boolean killed;
    private volatile Upstream current;
    // what the operator sees (RelayStatus): written by the relay's thread only, read by queries
    private volatile RelayState state = RelayState.CONNECTING;
    private volatile Instant stateSince;
    private volatile Instant nextAttempt;
    private volatile long bytesReceived;
    private volatile String lastTitle;
    private volatile RelayProblem lastError;
    /** The mount once audio has reached it: what a listener waiting for an on-demand relay is given. */
    private volatile Mount audible;
    /** When a listener last wanted this relay (on demand): it disconnects {@code idle} after. */
    private volatile long wantedNanos;
    private final Semaphore wakeups = new Semaphore(0);
    /** The relay's thread only: the last connection ended for lack of listeners. */
    private boolean idled;
    /** The relay's thread only. */
    private Relays.Claimed claimed;
    private long graceEndsNanos;
    /** A take-over's request to stop between two reads: set by {@link #freeze}, taken by the relay's thread. */
    private final AtomicReference<HandOff> handOff = new AtomicReference<>();
    /** The hand-over this relay stopped for, until the take-over ends one way or the other. */
    private volatile HandOff frozenFor;
    /** What a relay continued from another process reads on from; the relay's thread only once started. */
    private Continued continued;

    /**
     * A relay continued from another process: its mount (continued with its ring), the upstream connection
     * the old process read, and where its reading stood.
     *
     * @param icy the ICY de-interleaver as the old process left it; null when the upstream sends no metadata
     */
    record Continued(Relays.Claimed claimed, Upstream upstream, IcyDeinterleaver icy, long bytesReceived,
                     String lastTitle) {
    }

    /** A take-over's stop: the relay's thread says what it stopped with, and waits to learn whether it goes on. */
    private static final class HandOff {
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile FrozenRelay frozen;
        /** Empty: the new process has it, this thread ends; else the take-over failed and it reads on from there. */
        final CompletableFuture<Optional<Resumed>> outcome = new CompletableFuture<>();
    }

    private record Resumed(Upstream upstream, SourceSession session) {
    }

    /** @param continued what it reads on from (a take-over), or null */
    Relay(RelayConfig config, boolean fromMaster, Relays owner, Continued continued) {
        this.config = config;
        this.fromMaster = fromMaster;
        this.owner = owner;
        this.continued = continued;
        this.stateSince = owner.clock().instant();
    }

    RelayConfig config() {
        return config;
    }

    RelayStatus status() {
        RelayState now = state;
        return new RelayStatus(config.url(), config.mount(), config.onDemand(), fromMaster, now, stateSince,
                now == RelayState.WAITING ? Optional.ofNullable(nextAttempt) : Optional.empty(), bytesReceived,
                Optional.ofNullable(lastTitle), Optional.ofNullable(lastError));
    }

    private void enter(RelayState next) {
        if (state != next) {
            stateSince = owner.clock().instant();
            state = next;
        }
    }

    void start(ThreadFactory threads) {
        // an on-demand relay waits for a listener; one continued from another process had one a moment ago
        wantedNanos = continued != null ? System.nanoTime() : System.nanoTime() - config.idle().toNanos() - 1;
        Thread t = threads.newThread(this);
        thread = t;
        t.start();
    }

    /** The relay is no longer configured, or the server stops: its mount ends now. */
    void stop() {
        stopped = true;
        closeUpstream();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void join(long nanos) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(Duration.ofNanos(nanos));
        }
    }

    /**
     * A listener waits for this on-demand relay: it connects if it was idle, and the listener is given
     * the mount once audio has reached it.
     *
     * @return empty when no audio came within {@code timeout} (the upstream is down or slow)
     */
    Optional<Mount> awaitAudio(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stopped && System.nanoTime() - deadline < 0) {
            wantedNanos = System.nanoTime(); // while it waits, the relay must not idle out
            wakeups.release();
            Mount mount = audible;
            if (mount != null) {
                return Optional.of(mount);
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    private boolean idle(long now) {
        Mount mount = audible;
        return (mount == null || mount.listenerCount() == 0) && now - wantedNanos >= config.idle().toNanos();
    }

    /** Admin "kill source": the upstream connection and the mount end; the relay reconnects after its backoff. */
    void kill() {
        killed = true;
        closeUpstream();
    }

    private void closeUpstream() {
        Upstream upstream = current;
        if (upstream != null) {
            upstream.close();
        }
    }

    @Override
    public void run() {
        RelayBackoff backoff = owner.newBackoff();
        try {
            while (!stopped) {
                if (config.onDemand() && idle(System.nanoTime())) {
                    endMount("no listeners for " + config.idle().toSeconds() + " s (on demand)");
                    backoff.reset();
                    enter(RelayState.IDLE);
                    while (!stopped && idle(System.nanoTime())) {
                        wakeups.tryAcquire(1, TimeUnit.SECONDS);
                    }
                    wakeups.drainPermits();
                    continue;
                }
                Duration timeout = owner.config().limits().sourceIdleTimeout();
                Opening opening;
                IcyDeinterleaver icy = null;
                if (continued != null) {
                    Continued from = continued;
                    continued = null;
                    claimed = from.claimed();
                    audible = from.claimed().mount();
                    bytesReceived = from.bytesReceived();
                    lastTitle = from.lastTitle();
                    icy = from.icy();
                    opening = new Opening.Opened(from.upstream());
                    LOG.log(System.Logger.Level.INFO, "{0}: reading on from the upstream connection of the process"
                            + " this one took over", config);
                } else {
                    enter(RelayState.CONNECTING);
                    opening = owner.client().open(new RelayClient.RelayRequest(config.url(), config.username(),
                            config.password(), config.metadata(), timeout));
                }
                switch (opening) {
                    case Opening.Failed failed -> problem(failed.failure().describe());
                    case Opening.Opened opened -> {
                        if (relay(opened.upstream(), timeout, icy)) {
                            backoff.reset();
                        }
                    }
                }
                if (stopped) {
                    break;
                }
                if (idled) {
                    idled = false;
                    continue; // back to waiting for a listener
                }
                if (killed) {
                    killed = false;
                    endMount("its source was killed by the admin");
                }
                Duration wait = backoff.next();
                nextAttempt = owner.clock().instant().plus(wait);
                enter(RelayState.WAITING);
                LOG.log(System.Logger.Level.INFO, "{0}: next attempt in {1} ms", config, wait.toMillis());
                waitWithGrace(wait);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            lastError = new RelayProblem("stopped by an unexpected error: " + e, owner.clock().instant());
            LOG.log(System.Logger.Level.ERROR, config + ": stopped by an unexpected error", e);
        } finally {
            endMount(stopped ? "the relay stopped" : "the relay failed");
            enter(RelayState.STOPPED);
        }
    }

    /**
     * Streams from an open upstream until it ends, fails, goes silent, or the relay is killed, stopped or
     * handed over.
     *
     * @param goingOn where the upstream's ICY reading stood (a connection read before, by another process
     *                or by this relay before a failed take-over), or null for a new connection
     * @return whether audio came and the upstream was not at fault, so that the backoff starts over
     *         (an upstream that keeps sending broken metadata or a trickle is retried ever later)
     */
    private boolean relay(Upstream upstream, Duration timeout, IcyDeinterleaver goingOn) {
        current = upstream;
        boolean gotAudio = false;
        boolean faulty = false;
        String ended = "the upstream closed the stream";
        IcyDeinterleaver icy = null;
        HandOff handingOver = null;
        try {
            if (stopped || killed) {
                return false;
            }
            if (claimed != null && !sameFormat(upstream)) {
                endMount("the upstream came back with another format (" + upstream.contentType() + ")");
            }
            if (claimed == null) {
                Optional<Relays.Claimed> mount = owner.claim(config.mount(), sourceInfo(upstream), this::kill);
                if (mount.isEmpty()) {
                    problem("the mount " + config.mount() + " is disabled or another source streams there");
                    return false;
                }
                claimed = mount.get();
                LOG.log(System.Logger.Level.INFO, "{0}: relaying {1}", config, upstream.contentType());
            } else if (goingOn == null) {
                LOG.log(System.Logger.Level.INFO, "{0}: the upstream is back; its listeners go on", config);
            }
            graceEndsNanos = 0;
            enter(RelayState.CONNECTED);
            icy = goingOn != null ? goingOn : upstream.metaint() > 0 ? new IcyDeinterleaver(upstream.metaint()) : null;
            byte[] buffer = new byte[READ_BUFFER];
            long windowStart = System.nanoTime();
            long windowBytes = 0;
            long minBytes = Math.max(1, timeout.toSeconds()) * MIN_BYTES_PER_SECOND;
            while (!stopped && !killed) {
                int n;
                try {
                    n = upstream.read(buffer);
                } catch (IOException e) {
                    handingOver = handOff.getAndSet(null);
                    if (handingOver != null) {
                        break; // a take-over stopped the read: every byte before it went through here
                    }
                    throw e;
                }
                if (n < 0) {
                    handingOver = handOff.getAndSet(null);
                    if (handingOver != null) {
                        break;
                    }
                    if (icy != null && icy.insideBlock()) {
                        ended = "the upstream closed the stream inside an ICY metadata block (its length byte"
                                + " pointed past the data)";
                        faulty = true;
                    }
                    break;
                }
                if (n == 0) {
                    continue;
                }
                bytesReceived += n; // one writer: this thread
                gotAudio = true;
                windowBytes += n;
                long now = System.nanoTime();
                if (now - windowStart >= timeout.toNanos()) {
                    if (windowBytes < minBytes) {
                        ended = "the upstream sent only " + windowBytes + " bytes in " + timeout.toSeconds()
                                + " s (limits.source_timeout), less than " + MIN_BYTES_PER_SECOND
                                + " bytes a second: too slow to be a stream";
                        faulty = true;
                        break;
                    }
                    windowStart = now;
                    windowBytes = 0;
                }
                if (config.onDemand()) {
                    if (claimed.mount().listenerCount() > 0) {
                        wantedNanos = now;
                    } else if (now - wantedNanos >= config.idle().toNanos()) {
                        idled = true;
                        ended = "no listeners for " + config.idle().toSeconds() + " s (on demand)";
                        break;
                    }
                }
                claimed.session().flushIfDue(); // audio held back for coalescing goes out once due
                if (icy == null) {
                    claimed.session().receive(buffer, 0, n);
                } else {
                    icy.accept(buffer, 0, n, claimed.session()::receive, title -> {
                        lastTitle = title;
                        if (config.metadata()) {
                            owner.title(claimed.mount(), title);
                        }
                    });
                }
                if (audible == null) {
                    audible = claimed.mount();
                }
            }
        } catch (IcyDeinterleaver.OutOfStep e) {
            ended = "the upstream's ICY metadata is out of step with its icy-metaint " + upstream.metaint() + ": "
                    + e.getMessage();
            faulty = true;
        } catch (SocketTimeoutException e) {
            ended = "the upstream sent nothing for " + timeout.toSeconds() + " s (limits.source_timeout)";
        } catch (IOException e) {
            ended = "the upstream connection failed: " + e.getMessage();
        } finally {
            current = null;
            if (handingOver == null) {
                upstream.close();
            }
        }
        if (handingOver != null) {
            Optional<Resumed> resumed = handOver(handingOver, upstream, icy);
            if (resumed.isEmpty()) {
                claimed = null; // the mount went with the upstream: it is not this relay's to end
                audible = null;
                stopped = true;
                return false;
            }
            claimed = new Relays.Claimed(claimed.mount(), resumed.get().session());
            LOG.log(System.Logger.Level.INFO, "{0}: the take-over failed; reading the upstream on here", config);
            return relay(resumed.get().upstream(), timeout, icy);
        }
        if (idled) {
            endMount(ended);
        } else if (!stopped && !killed && claimed != null) {
            graceEndsNanos = System.nanoTime() + config.grace().toNanos();
            problem(ended + "; listeners wait up to " + config.grace().toSeconds() + " s for it to come back");
        }
        return gotAudio && !faulty;
    }

    /**
     * A take-over (its thread): stops this relay between two reads if it is reading an upstream now.
     *
     * @return the stopped relay and its upstream (its connection open); empty if it was not reading (it was
     *         connecting, waiting or idle) or could not stop, and goes on here
     */
    Optional<FrozenRelay> freeze() throws InterruptedException {
        Upstream upstream = current;
        if (upstream == null || stopped || state != RelayState.CONNECTED) {
            return Optional.empty();
        }
        HandOff request = new HandOff();
        if (!handOff.compareAndSet(null, request)) {
            return Optional.empty();
        }
        try {
            upstream.stopForHandOver();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, config + ": not handed over: " + e.getMessage());
            if (handOff.compareAndSet(request, null)) {
                return Optional.empty();
            }
        }
        if (!request.stopped.await(5, TimeUnit.SECONDS) && handOff.compareAndSet(request, null)) {
            // it was not in a read after all (its upstream had just ended): it goes on as after a lost upstream
            return Optional.empty();
        }
        request.stopped.await(); // it took the request: it says what it stopped with at once
        frozenFor = request;
        return Optional.ofNullable(request.frozen);
    }

    /** A take-over failed after {@link #freeze}: the relay reads on from {@code upstream} into {@code session}. */
    void resume(Upstream upstream, SourceSession session) {
        HandOff request = frozenFor;
        frozenFor = null;
        if (request == null || !request.outcome.complete(Optional.of(new Resumed(upstream, session)))) {
            upstream.close();
            session.finish();
        }
    }

    /** The relay's thread, stopped for a take-over: says so, then waits to learn whether it goes on. */
    private Optional<Resumed> handOver(HandOff request, Upstream upstream, IcyDeinterleaver icy) {
        claimed.session().handOver(); // what was read is published; the mount stays, for the hand-over
        request.frozen = new FrozenRelay(new org.tinyice.application.port.in.HandOverStreamsUseCase.RelayState(
                config, fromMaster, icy == null ? null : icy.state(), bytesReceived, lastTitle), upstream);
        request.stopped.countDown();
        try {
            return request.outcome.get();
        } catch (InterruptedException e) {
            return Optional.empty(); // stopped: the take-over went through, and this process is going away
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** Waits before the next attempt; the mount ends meanwhile if the grace period runs out. */
    private void waitWithGrace(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (!stopped) {
            long now = System.nanoTime();
            if (claimed != null && (killed || now - graceEndsNanos >= 0)) {
                killed = false;
                endMount("the upstream did not come back within " + config.grace().toSeconds() + " s");
            }
            if (now - until >= 0) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(STEP_MILLIS, (until - now) / 1_000_000)));
        }
    }

    private void endMount(String why) {
        Relays.Claimed mount = claimed;
        if (mount != null) {
            claimed = null;
            audible = null;
            mount.session().finish(); // listeners move to the fallback, if any, as when a source leaves
            LOG.log(System.Logger.Level.INFO, "{0}: the mount ended: {1}", config, why);
        }
    }

    private void problem(String what) {
        lastError = new RelayProblem(what, owner.clock().instant());
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}", config, what);
    }

    private boolean sameFormat(Upstream upstream) {
        return StreamFormat.fromContentType(upstream.contentType()) == claimed.mount().format();
    }

    /**
     * The upstream's answer headers become the source's request headers: its {@code icy-*} (name,
     * genre, bitrate, ...) and {@code ice-audio-info} pass on to status and to edge listeners, as an
     * encoder's would. Not {@code icy-metaint}: that was the upstream's framing, taken out here.
     */
    private SourceInfo sourceInfo(Upstream upstream) {
        Map<String, String> headers = new LinkedHashMap<>();
        upstream.headers().forEach((name, value) -> {
            if ((name.startsWith("icy-") && !name.equals("icy-metaint") && !name.equals("icy-metadata"))
                    || name.equals("ice-audio-info")) {
                headers.put(name, value);
            }
        });
        String server = upstream.headers().get("server");
        String agent = "relay of " + config.url() + (server == null || server.isBlank() ? "" : " (" + server + ")");
        return new SourceInfo(upstream.contentType(), headers, agent, upstream.remoteAddress(),
                owner.clock().instant());
    }
}
