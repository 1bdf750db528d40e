package org.tinyice.application.stream;

import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tinyice.application.access.ClientAddresses;
import org.tinyice.application.history.HistoryEvent;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.config.HlsSettings;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.ServeHlsUseCase;
import org.tinyice.domain.hls.HlsSegmenter;
import org.tinyice.domain.hls.HlsWindow;
import org.tinyice.domain.hls.PackedAudio;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.RingCursor;

/**
 * The HLS of every MP3 and AAC mount: one follower per mount path reads the mount's ring like a
 * listener (from the live edge, never holding the source back) and feeds one {@link HlsSegmenter};
 * every playlist and segment request then reads that segmenter's window. Segments are therefore
 * made once per mount, whatever the number of HLS clients, and cost the window's memory.
 *
 * <p>When the mount's source leaves and a mount along its fallback chain is live with the same
 * codec, the follower goes on with that one and marks a discontinuity; when the source comes back
 * (or takes over a file mount) it returns home with another. With no fallback the mount's HLS ends
 * with its source, and its playlist answers 404.
 *
 * <p>Followers are made by a playlist request for a live mount, and by a sweep every
 * {@value #SWEEP_MILLIS} ms over the live mounts, so segments are ready before the first player asks.
 * One platform thread ({@link #start}) runs that sweep and, in the same pass, takes each follower's
 * new chunks: a virtual thread per follower plus the sweep's was two timed wake-ups every 250 ms per
 * mount, each a hand-over between the JDK's timer thread and a carrier.
 */
public final class HlsStreams implements ServeHlsUseCase, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HlsStreams.class.getName());

    static final long SWEEP_MILLIS = 250;
    /** More sessions than this are not tracked (each is a small map entry): the count then stops growing. */
    static final int MAX_SESSIONS = 200_000;

    private final MountRegistry mounts;
    private final Supplier<ServerConfig> config;
    private final Clock clock;
    private final Consumer<HistoryEvent> history;
    private final ClientAddresses addresses;
    private final Map<String, Follower> followers = new ConcurrentHashMap<>();
    /** The sessions seen in the last {@link #sessionWindowMillis}, by mount, address and user agent. */
    private final Map<SessionKey, Session> sessions = new ConcurrentHashMap<>();
    private final LongAdder playlists = new LongAdder();
    private final LongAdder segments = new LongAdder();
    private volatile boolean closed;
    private Thread worker;

    /**
     * @param history   receives a visit ({@link ListenerSession.Protocol#HLS}) for every session that ends
     * @param addresses how addresses are kept in records ({@code client_addresses})
     */
    public HlsStreams(MountRegistry mounts, Supplier<ServerConfig> config, Clock clock, Consumer<HistoryEvent> history,
                      ClientAddresses addresses) {
        this.mounts = mounts;
        this.config = config;
        this.clock = clock;
        this.history = history;
        this.addresses = addresses;
    }

    /** Starts the thread that gives every new MP3 or AAC mount its follower and keeps every follower's segments. */
    public synchronized void start() {
        if (worker == null) {
            worker = Thread.ofPlatform().name("tinyice-hls").daemon(true).start(this::sweepUntilClosed);
        }
    }

    private void sweepUntilClosed() {
        while (!closed) {
            for (Mount mount : mounts.all()) {
                followerFor(mount.path());
            }
            for (Follower follower : followers.values()) {
                boolean goesOn;
                try {
                    goesOn = follower.takeNewChunks();
                } catch (RuntimeException e) {
                    // one mount's broken audio must not stop the others' HLS; the next sweep starts it afresh
                    LOG.log(System.Logger.Level.WARNING, "HLS of " + follower.path + " stopped", e);
                    goesOn = false;
                }
                if (!goesOn) {
                    followers.remove(follower.path, follower);
                }
            }
            endSessionsSeenBefore(clock.millis() - sessionWindowMillis());
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        endSessionsSeenBefore(Long.MAX_VALUE); // the server stops: every session ends with it, as its listeners do
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
        followers.clear();
    }

    @Override
    public HlsAnswer playlist(String mountPath, HlsClient client) {
        playlists.increment();
        if (needsListenerAuth(mountPath)) {
            return notOfferedWithAuth(mountPath);
        }
        Optional<Follower> follower = followerFor(mountPath);
        if (follower.isEmpty()) {
            return notServed(mountPath);
        }
        seen(mountPath, client);
        return new HlsAnswer.Playlist(follower.get().segmenter.window(), follower.get().segmenter.codec());
    }

    @Override
    public HlsAnswer segment(String mountPath, long sequence, HlsClient client) {
        segments.increment();
        if (needsListenerAuth(mountPath)) {
            return notOfferedWithAuth(mountPath);
        }
        Follower follower = followers.get(mountPath);
        if (follower == null) {
            return notServed(mountPath);
        }
        Session session = seen(mountPath, client);
        HlsWindow window = follower.segmenter.window();
        return window.segment(sequence)
                .<HlsAnswer>map(segment -> {
                    if (session != null) {
                        session.bytes.add(segment.bytes().length);
                    }
                    return new HlsAnswer.Segment(segment, window.codec());
                })
                .orElseGet(() -> new HlsAnswer.NotFound("segment " + sequence + " is not in the window of " + mountPath
                        + " (" + window.mediaSequence() + " to "
                        + (window.mediaSequence() + window.segments().size() - 1) + ")"));
    }

    /**
     * A mount whose listeners must log in is not offered: HLS requests carry no listener session to
     * check (and a cache in front would hand the segments to anyone), so its audio stays behind the login.
     */
    private boolean needsListenerAuth(String mountPath) {
        return !(config.get().mount(mountPath).auth() instanceof ListenerAuth.None);
    }

    private static HlsAnswer notOfferedWithAuth(String mountPath) {
        return new HlsAnswer.NotOffered(mountPath + " needs listener authentication: HLS is not offered there");
    }

    private HlsAnswer notServed(String mountPath) {
        Optional<Mount> live = mounts.find(mountPath);
        if (live.isPresent() && PackedAudio.fromContentType(live.get().source().contentType()) == null) {
            return new HlsAnswer.NotOffered(mountPath + " streams " + live.get().source().contentType()
                    + ": HLS is offered for MP3 and AAC mounts only");
        }
        return new HlsAnswer.NotFound("no source streams on " + mountPath);
    }

    @Override
    public Map<String, Integer> sessions() {
        long oldest = clock.millis() - sessionWindowMillis();
        Map<String, Integer> counts = new TreeMap<>();
        sessions.forEach((key, session) -> {
            if (session.lastMillis >= oldest) {
                counts.merge(key.mount(), 1, Integer::sum);
            }
        });
        return counts;
    }

    @Override
    public HlsRequests requests() {
        return new HlsRequests(playlists.sum(), segments.sum());
    }

    /**
     * A player asks for the playlist every target duration and for a segment as often, so one that
     * has not asked for three segment lengths has stopped (or is paused, which is the same to us).
     */
    private long sessionWindowMillis() {
        return 3 * config.get().hls().segment().toMillis();
    }

    /** The client's session, begun now if it had none; null past {@link #MAX_SESSIONS}. */
    private Session seen(String mountPath, HlsClient client) {
        SessionKey key = new SessionKey(mountPath, client.address(), client.userAgent());
        long now = clock.millis();
        Session session = sessions.get(key);
        if (session == null) {
            if (sessions.size() >= MAX_SESSIONS) {
                return null;
            }
            session = sessions.computeIfAbsent(key, k -> new Session(now));
        }
        session.lastMillis = Math.max(session.lastMillis, now);
        return session;
    }

    /**
     * Ends the sessions last seen before {@code oldest}: each becomes a visit in the history, from its first
     * request to its last, with the segment bytes it was sent, next to the Icecast listeners' visits.
     */
    private void endSessionsSeenBefore(long oldest) {
        sessions.forEach((key, session) -> {
            if (session.lastMillis < oldest && sessions.remove(key, session)) {
                history.accept(new HistoryEvent.ListenerLeft(new ListenerSession(key.mount(),
                        java.time.Instant.ofEpochMilli(session.firstMillis),
                        java.time.Duration.ofMillis(session.lastMillis - session.firstMillis), session.bytes.sum(),
                        key.userAgent(), addresses.forRecords(key.address()), ListenerSession.Protocol.HLS)));
            }
        });
    }

    /** The follower of this path, started now if the path has a live MP3 or AAC mount and none yet. */
    private Optional<Follower> followerFor(String path) {
        Follower existing = followers.get(path);
        if (existing != null || closed) {
            return Optional.ofNullable(existing);
        }
        Optional<Mount> live = mounts.find(path).filter(m -> !m.ring().isClosed());
        if (live.isEmpty()) {
            return Optional.empty();
        }
        PackedAudio codec = PackedAudio.fromContentType(live.get().source().contentType());
        if (codec == null || needsListenerAuth(path)) {
            return Optional.empty();
        }
        return Optional.of(followers.computeIfAbsent(path, p -> new Follower(p, live.get(), codec)));
    }

    private record SessionKey(String mount, String address, String userAgent) {
    }

    /** One HLS session: its first and last request (epoch ms) and the segment bytes it was sent. */
    private static final class Session {
        final long firstMillis;
        volatile long lastMillis;
        final LongAdder bytes = new LongAdder();

        Session(long firstMillis) {
            this.firstMillis = firstMillis;
            this.lastMillis = firstMillis;
        }
    }

    /**
     * Reads one path's audio into its segmenter. Made by any thread, read only by the HLS thread's sweep
     * ({@link #takeNewChunks}), which looks every {@value #SWEEP_MILLIS} ms, not at every publish: segments
     * are seconds long, the ring holds 512 chunks (10 s at a low-latency mount's 50 a second), and a
     * wake-up per chunk was a virtual thread's unpark, timed park and timer (measured at 100 listeners of
     * a low-latency mount: the carriers' CPU fell from 0.6 to 0.2 % of a core).
     */
    private final class Follower {
        private final String path;
        private final PackedAudio codec;
        private final HlsSegmenter segmenter;
        private Mount current;
        private RingCursor cursor;

        Follower(String path, Mount mount, PackedAudio codec) {
            this.path = path;
            this.codec = codec;
            HlsSettings hls = config.get().hls();
            // numbered from the clock's seconds: a later stream on this path (whose count started later and
            // grows by one per segment, slower than one a second) never reuses a name a cache still holds
            this.segmenter = new HlsSegmenter(codec, hls.segment().toNanos(), hls.window().toNanos(),
                    clock.instant().getEpochSecond());
            this.current = mount;
            this.cursor = new RingCursor(mount.ring(), mount.ring().head());
        }

        /**
         * Segments what was published since the last look, moving along the fallback chain or home again.
         *
         * @return false once the source left and no fallback carries on: this follower is done
         */
        boolean takeNewChunks() {
            while (true) {
                Chunk chunk = cursor.next();
                if (chunk != null) {
                    segmenter.accept(chunk.bytes(), 0, chunk.length(), chunk.title(), clock.instant());
                    continue;
                }
                Optional<Mount> next = nextMount(current);
                if (next.isEmpty()) {
                    return !(current.ring().isClosed() && cursor.caughtUp());
                }
                current = next.get();
                cursor = new RingCursor(current.ring(), current.ring().head());
                segmenter.discontinuity(clock.instant());
            }
        }

        /**
         * The mount to follow instead of {@code current}: this path's own when it is live again (a
         * source came back, or took over a file mount), else, once {@code current} has ended, the first
         * live mount of the same codec along the fallback chain.
         */
        private Optional<Mount> nextMount(Mount current) {
            Optional<Mount> home = mounts.find(path).filter(m -> m != current && usable(m));
            if (home.isPresent() || !current.ring().isClosed()) {
                return home;
            }
            ServerConfig now = config.get();
            Set<String> visited = new HashSet<>();
            visited.add(path);
            Optional<String> along = now.mount(path).fallback();
            while (along.isPresent() && visited.add(along.get())) {
                Optional<Mount> live = mounts.find(along.get()).filter(m -> m != current && usable(m));
                if (live.isPresent()) {
                    return live;
                }
                along = now.mount(along.get()).fallback();
            }
            return Optional.empty();
        }

        private boolean usable(Mount mount) {
            return !mount.ring().isClosed() && PackedAudio.fromContentType(mount.source().contentType()) == codec;
        }
    }
}
