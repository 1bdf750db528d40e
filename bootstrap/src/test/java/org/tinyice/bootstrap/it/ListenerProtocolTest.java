package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playlists, limits, 404s and slow/stalled listeners. */
class ListenerProtocolTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {
                  "hostname": "radio.example",
                  "mounts": {
                    "/one": {"max_listeners": 1, "name": "Only One"},
                    "/secret": {"hidden": true}
                  }
                }
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void unknownMountGetsIcecasts404() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            String answer = new String(client.send("GET /nothing-here HTTP/1.0\r\n\r\n").readToEnd(),
                    StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.0 404 File Not Found\r\n"), answer);
            assertTrue(answer.endsWith("<b>404 - The file you requested could not be found</b></body></html>\r\n"),
                    answer);
        }
    }

    @Test
    void playlistsNameTheStreamByTheRequestsHost() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/list", "-ice_name", "Listed")) {
            Sources.awaitMount(server, "/list", source);
            var m3u = server.get("/list.m3u");
            assertEquals(200, m3u.statusCode());
            assertEquals("audio/x-mpegurl", m3u.headers().firstValue("Content-Type").orElse(""));
            assertEquals("http://127.0.0.1:" + server.port() + "/list\r\n", m3u.body());
            var pls = server.get("/list.pls");
            assertTrue(pls.body().startsWith("[playlist]\r\nNumberOfEntries=1\r\nFile1=http://127.0.0.1:"
                    + server.port() + "/list\r\nTitle1=Listed\r\n"), pls.body());
            var xspf = server.get("/list.xspf");
            assertTrue(xspf.body().contains("<location>http://127.0.0.1:" + server.port() + "/list</location>"),
                    xspf.body());
            assertTrue(xspf.body().contains("Stream Title: Listed"), xspf.body());
            try (RawClient noHost = new RawClient(server.port())) {
                String answer = new String(noHost.send("GET /list.m3u HTTP/1.0\r\n\r\n").readToEnd(),
                        StandardCharsets.UTF_8);
                assertTrue(answer.endsWith("\r\n\r\nhttp://radio.example:" + server.port() + "/list\r\n"),
                        "without Host the configured hostname is used: " + answer);
            }
            String status = server.statusJson();
            assertTrue(status.contains("\"listenurl\":\"http://radio.example:" + server.port() + "/list\""), status);
        }
    }

    @Test
    void mountListenerLimitRefusesWithAClearError() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/one")) {
            Sources.awaitMount(server, "/one", source);
            try (RawClient first = new RawClient(server.port())) {
                assertTrue(first.send("GET /one HTTP/1.0\r\n\r\n").readHead().startsWith("HTTP/1.0 200"));
                try (RawClient second = new RawClient(server.port())) {
                    String answer = new String(second.send("GET /one HTTP/1.0\r\n\r\n").readToEnd(),
                            StandardCharsets.UTF_8);
                    assertTrue(answer.startsWith("HTTP/1.0 403 Forbidden"), answer);
                    assertTrue(answer.contains("too many listeners"), answer);
                }
                assertEquals(16000, first.readBytes(16000).length, "the admitted listener is unaffected");
            }
            String status = server.statusJson();
            assertTrue(status.contains("\"server_name\":\"Unspecified name\"") || status.contains("Only One"), status);
        }
    }

    @Test
    void hiddenMountsPlayButAreNotListed() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/secret")) {
            Eventually.await(Duration.ofSeconds(15), "hidden mount plays", () -> {
                try (RawClient client = new RawClient(server.port())) {
                    return client.send("GET /secret HTTP/1.0\r\n\r\n").readHead().startsWith("HTTP/1.0 200");
                }
            });
            assertTrue(!server.statusJson().contains("/secret"), server.statusJson());
        }
    }

    @Test
    void stalledListenerIsDroppedWhileAHealthyOneKeepsFullRate() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/stall")) {
            Sources.awaitMount(server, "/stall", source);
            try (RawClient stalled = new RawClient(server.port(), 4096);
                 RawClient healthy = new RawClient(server.port())) {
                stalled.send("GET /stall HTTP/1.0\r\n\r\n");
                healthy.send("GET /stall HTTP/1.0\r\n\r\n").readHead();
                healthy.readBytes(65536); // the burst
                long start = System.nanoTime();
                int seconds = 8;
                byte[] live = healthy.readBytes(16000 * seconds);
                double elapsed = (System.nanoTime() - start) / 1e9;
                assertEquals(16000 * seconds, live.length);
                assertTrue(elapsed < seconds + 2.5, "the healthy listener got " + seconds
                        + " s of audio in " + elapsed + " s next to a stalled one");
                // the stalled listener's socket buffers fill, its write blocks, the watchdog closes it
                Eventually.await(Duration.ofSeconds(40), "the stalled listener is dropped",
                        () -> server.statusJson().matches(".*\"listeners\":1,\"listenurl\":\"[^\"]*/stall\".*"));
                assertEquals(16000, healthy.readBytes(16000).length, "and the healthy one still plays");
            }
        }
    }
}
