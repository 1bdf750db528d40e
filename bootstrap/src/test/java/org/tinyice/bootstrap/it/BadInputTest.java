package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gets a clear answer (or a bounded close) and the stream plays on for everyone else. */
class BadInputTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static ExternalProcess source;
    static RawClient listener;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"limits": {"header_timeout": 2, "source_timeout": 2}}
                """);
        source = Encoders.ffmpegMp3(dir, server, "/live");
        Sources.awaitMount(server, "/live", source);
        listener = new RawClient(server.port());
        listener.send("GET /live HTTP/1.0\r\n\r\n").readHead();
    }

    @AfterAll
    static void stop() throws Exception {
        listener.close();
        source.close();
        server.close();
    }

    /** The listener that was there all along still gets audio, and the server still answers. */
    private void assertStillServing() throws Exception {
        assertEquals(8000, listener.readBytes(8000).length);
        assertEquals(200, server.get("/status-json.xsl").statusCode());
    }

    private String exchange(byte[] request) throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send(request);
            return new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void garbageGetsA400() throws Exception {
        assertTrue(exchange("GARBAGE\r\n\r\n".getBytes()).startsWith("HTTP/1.0 400 Bad Request"));
        assertTrue(exchange("GET /live\r\n\r\n".getBytes()).startsWith("HTTP/1.0 400 Bad Request"));
        assertTrue(exchange("GET /x ICY/1.0\r\n\r\n".getBytes()).startsWith("HTTP/1.0 400 Bad Request"));
        byte[] junk = new byte[3000];
        new java.util.Random(7).nextBytes(junk);
        junk[junk.length - 1] = '\n';
        String answer = exchange(junk);
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.0 4"), answer);
        assertStillServing();
    }

    @Test
    void hugeHeadersAreRefusedWith431() throws Exception {
        String big = "GET /live HTTP/1.0\r\nX-Big: " + "a".repeat(100 * 1024) + "\r\n\r\n";
        try (RawClient client = new RawClient(server.port())) {
            try {
                client.send(big);
            } catch (java.io.IOException closedWhileSending) {
                // the server may close before we finish sending 100 KB: fine, as long as it answered
            }
            String answer = new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.0 431 "), answer);
        }
        assertStillServing();
    }

    @Test
    void pathTraversalIsRefused() throws Exception {
        for (String path : List.of("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc", "/a/../live",
                "/live.m3u/..")) {
            String answer = exchange(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes());
            assertTrue(answer.startsWith("HTTP/1.0 400 Bad Request"), path + " -> " + answer);
            assertTrue(!answer.contains("root:"), answer);
        }
        assertStillServing();
    }

    @Test
    void halfSentRequestsAreClosedAfterTheHeaderTimeout() throws Exception {
        List<RawClient> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawClient client = new RawClient(server.port());
                client.send("GET /live HTTP/1.1\r\nHost: x\r\n");
                slow.add(client);
            }
            long start = System.nanoTime();
            for (RawClient client : slow) {
                assertTrue(client.closedByServer(), "a head never finished must be closed");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 6, "closed after the 2 s header timeout, took " + seconds);
        } finally {
            for (RawClient client : slow) {
                client.close();
            }
        }
        assertStillServing();
    }

    @Test
    void silentSourceIsDroppedAfterTheSourceTimeout() throws Exception {
        try (RawClient mute = new RawClient(server.port())) {
            mute.send("SOURCE /mute HTTP/1.0\r\nAuthorization: Basic " + Base64.getEncoder().encodeToString(
                    ("source:" + TestServer.SOURCE_PASSWORD).getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Type: audio/mpeg\r\n\r\n");
            assertTrue(mute.readHead().startsWith("HTTP/1.0 200 OK"));
            mute.send(new byte[1000]);
            Eventually.await(Duration.ofSeconds(2), "mount appears", () -> server.statusJson().contains("/mute\""));
            mute.timeout(8000);
            assertTrue(mute.closedByServer(), "a source that sends nothing for source_timeout is closed");
            Eventually.await(Duration.ofSeconds(2), "mount gone", () -> server.get("/mute").statusCode() == 404);
        }
        assertStillServing();
    }

    @Test
    void otherMethodsAndVersionsGetClearAnswers() throws Exception {
        assertTrue(exchange("DELETE /live HTTP/1.0\r\n\r\n".getBytes()).startsWith("HTTP/1.0 400 Bad Request"));
        assertTrue(exchange("POST /live HTTP/1.0\r\nContent-Length: 0\r\n\r\n".getBytes())
                .startsWith("HTTP/1.0 400 Bad Request"));
        assertTrue(exchange("GET /healthz HTTP/1.0\r\n\r\n".getBytes()).startsWith("HTTP/1.0 505 "));
        assertStillServing();
    }
}
