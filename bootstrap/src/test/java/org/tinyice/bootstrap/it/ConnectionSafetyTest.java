package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one connection may hold and do: deadlines from accept on, whichever code path serves it; no request
 * smuggled in a body nobody reads; a cap on public event streams; an access log that does not grow forever.
 */
class ConnectionSafetyTest {

    private static final String EVENTS = "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";

    @TempDir
    static Path dir;
    static TestServer server;
    static RawSource source;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"limits": {"header_timeout": 2, "max_sse_clients": 2},
                 "access_log": {"max_bytes": 400, "files": 2}}
                """);
        source = new RawSource(server, "/live", (byte) 7);
        Eventually.await(Duration.ofSeconds(5), "/live is on", () -> server.statusJson().contains("/live\""));
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        server.close();
    }

    /** The header timeout is 2 s and the watchdog sweeps twice a second: closed well within 4.5 s. */
    private static void assertClosedWithinTheHeaderTimeout(RawClient client) throws IOException {
        long start = System.nanoTime();
        client.timeout(8000);
        assertTrue(client.closedByServer(), "still open after 8 s");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 4.5, "header timeout is 2 s, closed after " + seconds);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        try (RawClient silent = new RawClient(server.port())) {
            assertClosedWithinTheHeaderTimeout(silent);
        }
    }

    @Test
    void aRoutedRequestWhoseHeadNeverEndsIsClosedAfterTheHeaderTimeout() throws Exception {
        try (RawClient slow = new RawClient(server.port())) {
            // a whole request line for the routing (health, dashboard, API), then the head stops
            slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
            assertClosedWithinTheHeaderTimeout(slow);
        }
    }

    @Test
    void aRoutedHeadDribbledInByteByByteIsClosedAfterTheHeaderTimeout() throws Exception {
        try (RawClient dribbler = new RawClient(server.port())) {
            dribbler.send("GET /api/status HTTP/1.1\r\n");
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        dribbler.send("X");
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed it: done
                }
            });
            try {
                assertClosedWithinTheHeaderTimeout(dribbler);
            } finally {
                drip.interrupt();
            }
        }
    }

    @Test
    void listenersAndEventStreamsOutliveTheHeaderTimeout() throws Exception {
        try (RawClient listener = RawClient.listen(server, "/live", "test");
             RawClient events = new RawClient(server.port())) {
            assertTrue(events.send(EVENTS).readHead().startsWith("HTTP/1.1 200 "));
            Thread.sleep(4500);
            listener.awaitRun((byte) 7, 1000);
            events.timeout(2000);
            assertTrue(events.input().read(new byte[4096]) > 0, "the event stream goes on");
        }
    }

    @Test
    void publicEventStreamsBeyondTheLimitGet503() throws Exception {
        // streams of other tests count until their next event fails
        Eventually.await(Duration.ofSeconds(5), "no stream open", () -> ObservabilityTest.metric(
                server.get("/metrics").body(), "tinyice_sse_clients", "") == 0);
        try (RawClient first = new RawClient(server.port()); RawClient second = new RawClient(server.port())) {
            assertTrue(first.send(EVENTS).readHead().startsWith("HTTP/1.1 200 "));
            assertTrue(second.send(EVENTS).readHead().startsWith("HTTP/1.1 200 "));
            try (RawClient third = new RawClient(server.port())) {
                String answer = third.send(EVENTS).readHead();
                assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                assertTrue(answer.contains("Retry-After: 30"), answer);
            }
        }
        // a place comes free when a stream ends (noticed at its next event)
        Eventually.await(Duration.ofSeconds(5), "a stream may open again", () -> {
            try (RawClient again = new RawClient(server.port())) {
                return again.send(EVENTS).readHead().startsWith("HTTP/1.1 200 ");
            }
        });
    }

    private static List<String> statusLines(String answers) {
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^HTTP/1\\.[01] \\d{3} [^\r\n]*").matcher(answers);
        while (m.find()) {
            lines.add(m.group());
        }
        return lines;
    }

    @Test
    void aBodyAfterAnOptionsProbeIsNotAnsweredAsARequest() throws Exception {
        String smuggled = "GET /status-json.xsl HTTP/1.0\r\n\r\n";
        try (RawClient client = new RawClient(server.port())) {
            client.send("OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: " + smuggled.length() + "\r\n\r\n"
                    + smuggled);
            String answers = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertEquals(List.of("HTTP/1.0 200 OK"), statusLines(answers), answers);
            assertTrue(answers.contains("Connection: Close"), answers);
            assertFalse(answers.contains("icestats"), answers);
        }
    }

    @Test
    void aBodyAfterARefusedSourceIsNotAnsweredAsARequest() throws Exception {
        String smuggled = "GET /status-json.xsl HTTP/1.0\r\n\r\n";
        for (String framing : List.of("Content-Length: " + smuggled.length(),
                "Transfer-Encoding: chunked", "Content-Length: 0\r\nContent-Length: " + smuggled.length())) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("SOURCE /other HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n\r\n" + smuggled);
                String answers = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
                assertEquals(1, statusLines(answers).size(), framing + ": " + answers);
                assertTrue(answers.startsWith("HTTP/1.0 401 "), answers);
                assertFalse(answers.contains("icestats"), framing + ": " + answers);
            }
        }
    }

    @Test
    void libshoutsBodilessChallengeKeepsItsConnection() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("SOURCE /other HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            String challenge = client.readHead();
            assertTrue(challenge.startsWith("HTTP/1.0 401 "), challenge);
            Matcher length = Pattern.compile("Content-Length: (\\d+)").matcher(challenge);
            assertTrue(length.find(), challenge);
            client.readBytes(Integer.parseInt(length.group(1)));
            client.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(client.readHead().startsWith("HTTP/1.0 200 OK"), "the same connection answers again");
        }
    }

    @Test
    void theAccessLogIsRotatedBySize() throws Exception {
        for (int i = 0; i < 10; i++) {
            RawClient.listen(server, "/live", "rotation-test-" + i).close();
        }
        Path log = dir.resolve("access.log");
        Path first = dir.resolve("access.log.1");
        Eventually.await(Duration.ofSeconds(10), "access.log.1 and access.log.2", () -> Files.exists(first)
                && Files.exists(dir.resolve("access.log.2")));
        assertTrue(Files.size(log) <= 400 && Files.size(first) <= 400, "each file stays within max_bytes");
        assertTrue(Files.readString(first).contains("rotation-test-"), Files.readString(first));
        assertFalse(Files.exists(dir.resolve("access.log.3")), "files: 2 keeps two old files");
    }
}
