package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The Server-Sent Events streams of the dashboard and the public pages: each sends an event every
 * {@link #INTERVAL} on the request's own virtual thread, until the client goes away (the next write
 * fails) or {@code next} says the stream is over. One instance is shared by both services, so it can
 * tell {@code /metrics} how many streams are open. The public streams are capped
 * ({@code limits.max_sse_clients}): anyone may open one, and each holds a thread and renders JSON twice
 * a second. The dashboard's are not: only signed-in users reach them.
 */
public final class LiveEvents {

    static final Duration INTERVAL = Duration.ofMillis(500);

    /** An event to send, or {@link #last} to send one and stop. */
    record Event(String name, String data, boolean last) {
        static Event of(String name, String data) {
            return new Event(name, data, false);
        }

        static Event last(String name, String data) {
            return new Event(name, data, true);
        }
    }

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger openPublic = new AtomicInteger();
    private final IntSupplier maxPublic;

    /** @param maxPublic public streams allowed at once, read at each request (0: no limit) */
    public LiveEvents(IntSupplier maxPublic) {
        this.maxPublic = maxPublic;
    }

    /** Streams open now; one whose client left counts until a write to it fails (within a second or two). */
    public int open() {
        return open.get();
    }

    /** A public stream, or a 503 when {@code maxPublic} are open already. */
    void streamPublic(ServerResponse res, Supplier<Optional<Event>> next) {
        int max = maxPublic.getAsInt();
        if (openPublic.incrementAndGet() > max && max != 0) {
            openPublic.decrementAndGet();
            res.status(Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderNames.RETRY_AFTER, "30")
                    .send("Too many live event streams open; try again later.\n");
            return;
        }
        try {
            stream(res, next);
        } finally {
            openPublic.decrementAndGet();
        }
    }

    void stream(ServerResponse res, Supplier<Optional<Event>> next) {
        SseSink sink = res.sink(SseSink.TYPE);
        open.incrementAndGet();
        try {
            while (true) {
                Optional<Event> event = next.get();
                if (event.isEmpty()) {
                    break;
                }
                sink.emit(SseEvent.builder().name(event.get().name()).data(event.get().data()).build());
                if (event.get().last()) {
                    break;
                }
                Thread.sleep(INTERVAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the client went away (or the server is stopping): nothing more to send
        } finally {
            open.decrementAndGet();
            try {
                sink.close();
            } catch (RuntimeException e) {
                // already closed by the other side
            }
        }
    }
}
