package org.tinyice.adapters.http.icecast;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.tinyice.adapters.http.fanout.FanOutEngine;
import org.tinyice.adapters.http.observe.AccessLog;
import org.tinyice.application.port.in.ListenUseCase.ListenerSession;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;

/**
 * The end of a listener: its access-log line, the feed's stall count, leaving the mount. Made of plain
 * values, so that a streaming listener (which keeps this until it ends) keeps nothing of its Helidon
 * connection alive; and so that a take-over can send its {@link Request} along, for the new process to
 * write the line when the listener ends there.
 */
public final class ListenerEnd implements Consumer<FanOutEngine.Ending> {

    /** What the access log says of the listener's request: its request line, login and referer ("" for none). */
    public record Request(String line, String user, String referer) {
    }

    private final AccessLog accessLog;
    private final Clock clock;
    private final Request request;
    private final ListenerSession session;
    private final ListenerFeed feed;
    private final Runnable afterwards;

    public ListenerEnd(AccessLog accessLog, Clock clock, Request request, ListenerSession session, ListenerFeed feed) {
        this(accessLog, clock, request, session, feed, () -> { });
    }

    private ListenerEnd(AccessLog accessLog, Clock clock, Request request, ListenerSession session, ListenerFeed feed,
                        Runnable afterwards) {
        this.accessLog = accessLog;
        this.clock = clock;
        this.request = request;
        this.session = session;
        this.feed = feed;
        this.afterwards = afterwards;
    }

    /** This end, then {@code more} (a per-address count let go). */
    ListenerEnd andThen(Runnable more) {
        return new ListenerEnd(accessLog, clock, request, session, feed, () -> {
            afterwards.run();
            more.run();
        });
    }

    public Request request() {
        return request;
    }

    /** Once, on a writer thread, when the engine ends the listener. */
    @Override
    public void accept(FanOutEngine.Ending ending) {
        if (ending == FanOutEngine.Ending.STALLED) {
            feed.stalled();
        }
        log();
        session.leave();
        afterwards.run();
    }

    void log() {
        ListenerStatus listener = session.status();
        var now = clock.instant();
        accessLog.listenerLeft(listener.remoteAddress(), request.user(), request.line(), 200, listener.bytesSent(),
                request.referer(), listener.userAgent(), now, Duration.between(listener.connectedAt(), now).toSeconds());
    }
}
