package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view's Server-Sent Events, read as a browser's EventSource would (the JDK client's
 * {@code ofLines()}): {@code /admin/events} for a session and {@code /events} for everyone.
 */
class LiveEventsTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, DashboardAuthorizationTest.CONFIG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An open event stream: "event: name" and "data: ..." lines, in order, as they arrive. */
    static final class EventStream implements AutoCloseable {
        final HttpResponse<Stream<String>> response;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader;

        EventStream(DashboardClient client, String path) throws Exception {
            HttpRequest.Builder request = client == null
                    ? HttpRequest.newBuilder(URI.create(server.url(path)))
                    : client.request(path);
            response = DashboardClient.HTTP.send(request.header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            reader = Thread.ofVirtual().start(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (RuntimeException e) {
                    // closed by close()
                }
                lines.add("<end>");
            });
        }

        /** The data of the next event called {@code name} whose data matches, within the time limit. */
        String await(String name, Predicate<String> matching, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            String event = null;
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("<end>")) {
                    throw new AssertionError("no matching '" + name + "' event within " + limit.toMillis() + " ms"
                            + (line == null ? "" : " (the stream ended)"));
                }
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && name.equals(event)) {
                    String data = line.substring(5).trim();
                    if (matching.test(data)) {
                        return data;
                    }
                } else if (line.isEmpty()) {
                    event = null;
                }
            }
        }

        boolean ended(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    return false;
                }
                if (line.equals("<end>")) {
                    return true;
                }
            }
        }

        @Override
        public void close() {
            response.body().close();
            reader.interrupt();
        }
    }

    static String firstEvent(DashboardClient client, String path, String name) throws Exception {
        try (EventStream events = new EventStream(client, path)) {
            return events.await(name, data -> true, Duration.ofSeconds(3));
        }
    }

    @Test
    void theAdminStreamShowsAListenerArriveWithinASecond() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        try (RawSource source = new RawSource(server, "/sse", (byte) 5);
             EventStream events = new EventStream(admin, "/admin/events")) {
            assertEquals(200, events.response.statusCode());
            assertTrue(events.response.headers().firstValue("Content-Type").orElseThrow()
                    .startsWith("text/event-stream"));
            String before = events.await("stats", d -> d.contains("{\"mount\":\"/sse\""), Duration.ofSeconds(3));
            assertTrue(before.contains("\"listeners\":0,\"listener_peak\":0"), before);
            assertTrue(before.contains("\"source_user_agent\":\"RawSource/1.0\""), before);
            assertTrue(before.contains("\"heap_used\":") && before.contains("\"uptime_seconds\":"), before);
            try (RawClient listener = RawClient.listen(server, "/sse", "SseWatcher/1.0")) {
                long connected = System.nanoTime();
                String after = events.await("stats", d -> d.contains("\"mount\":\"/sse\",\"name\":\"Raw /sse\","
                        + "\"content_type\":\"audio/mpeg\",\"listeners\":1"), Duration.ofSeconds(1));
                assertNotNull(after);
                assertTrue(System.nanoTime() - connected < Duration.ofSeconds(1).toNanos());
            }
            events.await("stats", d -> d.contains("\"content_type\":\"audio/mpeg\",\"listeners\":0,"
                    + "\"listener_peak\":1"), Duration.ofSeconds(2));
        }
    }

    @Test
    void eventsComeEveryHalfSecond() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        try (EventStream events = new EventStream(admin, "/admin/events")) {
            events.await("stats", d -> true, Duration.ofSeconds(2));
            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                events.await("stats", d -> true, Duration.ofSeconds(1));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 1400 && millis < 3000, "4 events took " + millis + " ms");
        }
    }

    @Test
    void theStreamEndsWithALogoutEventWhenTheSessionEnds() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        try (EventStream events = new EventStream(admin, "/admin/events")) {
            events.await("stats", d -> true, Duration.ofSeconds(2));
            assertEquals(200, admin.post("/admin/logout").statusCode());
            events.await("logout", d -> true, Duration.ofSeconds(2));
            assertTrue(events.ended(Duration.ofSeconds(2)), "and the stream closes");
        }
    }

    @Test
    void thePublicStreamCarriesPublicMountsAndNothingPrivate() throws Exception {
        try (RawSource open = new RawSource(server, "/open", (byte) 6);
             RawSource hidden = new RawSource(server, "/hidden", (byte) 7);
             RawClient listener = RawClient.listen(server, "/open", "PublicFan/1.0");
             EventStream events = new EventStream(null, "/events")) {
            assertEquals(200, DashboardClient.apiPost(server, "/api/mounts/metadata?mount=/open&song=Public%20Song")
                    .statusCode());
            String data = events.await("mounts", d -> d.contains("\"title\":\"Public Song\""), Duration.ofSeconds(2));
            assertTrue(data.contains("{\"mount\":\"/open\",\"name\":\"Raw /open\",\"content_type\":\"audio/mpeg\","
                    + "\"title\":\"Public Song\",\"listeners\":1,\"hls\":true}"), data);
            assertFalse(data.contains("/hidden"), data);
            for (String secret : new String[] {"127.0.0.1", "RawSource", "PublicFan", "heap", "lockouts"}) {
                assertFalse(data.contains(secret), secret + " in " + data);
            }
        }
        String page = server.get("/").body();
        assertTrue(page.contains("<script type=\"module\" src=\"/static/public.js\"></script>"), page);
    }
}
