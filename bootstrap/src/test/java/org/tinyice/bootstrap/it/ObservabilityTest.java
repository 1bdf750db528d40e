package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after known traffic, /healthz, /readyz and the access log. */
class ObservabilityTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"mounts": {"/guarded": {"auth": {"type": "users", "users": {"u": "p"}}}}}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static double metric(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels)
                + "[^}]*} ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError(name + "{" + labels + "} not in\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountKnownTraffic() throws Exception {
        String before = server.get("/metrics").body();
        double connectsBefore = metric(before, "tinyice_listener_connects_total", "");
        double authFailuresBefore = metric(before, "tinyice_listener_auth_failures_total", "");
        try (RawSource source = new RawSource(server, "/metered", (byte) 5)) {
            for (int i = 0; i < 3; i++) {
                try (RawClient listener = new RawClient(server.port())) {
                    listener.send("GET /metered HTTP/1.0\r\n\r\n").readHead();
                    listener.readBytes(1000);
                }
            }
            try (RawSource guarded = new RawSource(server, "/guarded", (byte) 6);
                 RawClient refused = new RawClient(server.port())) {
                assertTrue(refused.send("GET /guarded HTTP/1.0\r\n\r\n").readHead().startsWith("HTTP/1.0 401"));
            }
            try (RawClient staying = new RawClient(server.port())) {
                staying.send("GET /metered HTTP/1.0\r\n\r\n").readHead();
                staying.readBytes(1000);
                Eventually.await(Duration.ofSeconds(5), "mount meters and counts (before: connects " + connectsBefore
                        + ", auth failures " + authFailuresBefore + ")", () -> {
                    String now = server.get("/metrics").body();
                    return metric(now, "tinyice_mount_listeners", "mount=\"/metered\"") == 1
                            && metric(now, "tinyice_listener_connects_total", "") == connectsBefore + 4
                            && metric(now, "tinyice_listener_auth_failures_total", "") == authFailuresBefore + 1
                            && metric(now, "tinyice_mount_bytes_in_total", "mount=\"/metered\"") > 0
                            && metric(now, "tinyice_mount_bytes_out_total", "mount=\"/metered\"") >= 4000;
                });
            }
        }
        Eventually.await(Duration.ofSeconds(5), "mount meters removed with the mount",
                () -> !server.get("/metrics").body().contains("mount=\"/metered\""));
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertEquals(200, server.get("/healthz").statusCode());
        var ready = server.get("/readyz");
        assertEquals(200, ready.statusCode());
        assertEquals("ready\n", ready.body());
    }

    @Test
    void accessLogHasOneCombinedLineWhenAListenerLeavesWithTheAddressHashed() throws Exception {
        try (RawSource source = new RawSource(server, "/logged", (byte) 7)) {
            try (RawClient listener = new RawClient(server.port())) {
                listener.send("GET /logged HTTP/1.0\r\nUser-Agent: LogTest/1.0\r\nReferer: http://ref.example/\r\n\r\n")
                        .readHead();
                listener.readBytes(5000);
            }
            Path log = dir.resolve("access.log");
            Eventually.await(Duration.ofSeconds(5), "access log line", () -> Files.exists(log)
                    && Files.readString(log).contains("LogTest/1.0"));
            String line = Files.readAllLines(log).stream().filter(l -> l.contains("LogTest/1.0")).findFirst()
                    .orElseThrow();
            assertTrue(line.matches("[0-9a-f]{16} - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] "
                    + "\"GET /logged HTTP/1.0\" 200 \\d+ \"http://ref.example/\" \"LogTest/1.0\" \\d+"), line);
            assertFalse(line.contains("127.0.0.1"), "addresses are hashed by default: " + line);
        }
    }
}
