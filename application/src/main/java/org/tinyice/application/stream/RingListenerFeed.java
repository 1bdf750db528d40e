package org.tinyice.application.stream;

import java.util.Optional;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.out.ListenerOutput;
import org.tinyice.domain.icy.IcyInterleaver;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.CodecHeaders;
import org.tinyice.domain.stream.RingCursor;

/**
 * A listener's feed from its mount's ring: the listener's side of the fan-out, apart from the bytes
 * on the wire. It follows moves (admin, fallback) on the same connection, gives a late Ogg joiner
 * the codec header pages first, interleaves ICY titles when the player asked for them, counts what
 * was sent, and drops a listener the ring lapped more than {@link #MAX_LAPS} times: one that is merely
 * slow skips to the live edge, and never holds back the source or anyone else.
 */
final class RingListenerFeed implements ListenerFeed {

    /** Laps forgiven: the 4th drops the listener (at 128 kbit/s a lap is about 4 minutes of audio). */
    static final int MAX_LAPS = 3;

    private final ListenerService.Session session;
    private final ServerCounters counters;
    private final IcyInterleaver icy;
    /** The interleaver's view of the last output, kept so that ICY listeners allocate nothing per chunk. */
    private ListenerOutput icyOutput;
    private IcyInterleaver.SliceSink icySink;
    private boolean first = true;
    private int lapsSeen;

    /**
     * @param icyMetadata whether the player asked for ICY metadata ({@code Icy-MetaData: 1}) and the
     *                    mount's format carries it
     */
    RingListenerFeed(ListenerService.Session session, ServerCounters counters, boolean icyMetadata) {
        this(session, counters, icyMetadata ? new IcyInterleaver(IcyInterleaver.DEFAULT_METAINT) : null);
    }

    private RingListenerFeed(ListenerService.Session session, ServerCounters counters, IcyInterleaver icy) {
        this.session = session;
        this.counters = counters;
        this.icy = icy;
    }

    /** A feed that goes on where another process's stopped (a take-over): same ICY phase, same title sent. */
    static RingListenerFeed continuing(ListenerService.Session session, ServerCounters counters,
                                       HandOverStreamsUseCase.ListenerState state) {
        IcyInterleaver icy = state.metaint() > 0
                ? IcyInterleaver.continuing(state.metaint(), state.untilBlock(), state.lastTitle())
                : null;
        RingListenerFeed feed = new RingListenerFeed(session, counters, icy);
        feed.first = state.first();
        feed.lapsSeen = state.lapsSeen();
        return feed;
    }

    @Override
    public Optional<HandOverStreamsUseCase.ListenerState> handOverState() {
        Mount mount = session.mount();
        if (session.listener().hasMoveRequest()) {
            return Optional.empty();
        }
        Listener listener = session.listener();
        return Optional.of(new HandOverStreamsUseCase.ListenerState(mount.path(), listener.home(),
                listener.remoteAddress(), listener.userAgent(), listener.connectedAt(), listener.bytesSent(),
                listener.laps(), session.cursor().position(), first, lapsSeen, metaint(),
                icy == null ? 0 : icy.untilBlock(), icy == null ? null : icy.lastTitle()));
    }

    @Override
    public int metaint() {
        return icy == null ? 0 : icy.metaint();
    }

    @Override
    public Step sendNext(ListenerOutput out) {
        if (session.followMove()) {
            // moved to another mount on the same connection: no new head, as Icecast
            first = true;
            lapsSeen = 0;
        }
        RingCursor cursor = session.cursor();
        Chunk chunk = cursor.next();
        if (chunk == null) {
            return nothingToSend(cursor);
        }
        if (first) {
            first = false;
            CodecHeaders headers = chunk.headers();
            if (headers != null && headers.neededBefore(chunk)) {
                out.write(headers.pages(), 0, headers.pages().length);
            }
        }
        if (icy != null) {
            if (out != icyOutput) {
                icyOutput = out;
                icySink = out::write;
            }
            icy.interleave(chunk.bytes(), 0, chunk.length(), chunk.title(), icySink);
        } else {
            out.write(chunk.bytes(), 0, chunk.length());
        }
        session.listener().sent(chunk.length());
        session.mount().countSent(chunk.length());
        return Step.SENT;
    }

    private Step nothingToSend(RingCursor cursor) {
        if (cursor.laps() != lapsSeen) {
            lapsSeen = cursor.laps();
            session.listener().laps(lapsSeen);
            counters.listenerLapped();
            if (lapsSeen > MAX_LAPS) {
                counters.listenerTooSlow();
                return Step.TOO_SLOW;
            }
            return Step.CAUGHT_UP; // at the live edge now
        }
        if (cursor.streamEnded()) {
            // the source left; a fallback that takes over has asked this listener to move
            return session.listener().hasMoveRequest() ? Step.CAUGHT_UP : Step.ENDED;
        }
        return Step.CAUGHT_UP;
    }

    @Override
    public boolean wakeWhenReady(Runnable wake) {
        if (session.listener().hasMoveRequest()) {
            return false;
        }
        boolean waiting = session.cursor().wakeWhenReadable(wake);
        // a move asked for after the first look nudged a ring this listener may not have been waiting on yet
        return waiting && !session.listener().hasMoveRequest();
    }

    @Override
    public void stalled() {
        counters.listenerStalled();
    }
}
