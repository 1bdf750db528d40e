package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public player pages {@code /player/<mount>} and {@code /embed/<mount>} (only for mounts the public
 * page lists, the embed framable by any site), and the {@code tinyice_sse_clients} gauge.
 */
class PlayerPagesTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"mounts": {"/hidden": {"hidden": true}, "/private": {"public": false},
                            "/jazz": {"name": "Late Night Jazz"}}}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String header(HttpResponse<?> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }

    /** Waits for the public page's snapshot to list the mount (it is taken at most every 250 ms). */
    static void awaitPublic(String mount) throws Exception {
        Eventually.await(Duration.ofSeconds(5), mount + " on /player",
                () -> server.get("/player" + mount).statusCode() == 200);
    }

    @Test
    void aPublicLiveMountHasAPlayerPageThatPlaysItAndMayNotBeFramed() throws Exception {
        try (RawSource source = new RawSource(server, "/live", (byte) 1)) {
            awaitPublic("/live");
            HttpResponse<String> page = server.get("/player/live");
            assertEquals(200, page.statusCode());
            assertTrue(header(page, "Content-Type").startsWith("text/html"), header(page, "Content-Type"));
            String csp = header(page, "Content-Security-Policy");
            assertTrue(csp.contains("media-src 'self'") && csp.contains("frame-ancestors 'none'")
                    && csp.contains("script-src 'self'"), csp);
            assertFalse(csp.contains("unsafe-inline"), csp);
            assertEquals("DENY", header(page, "X-Frame-Options"));
            assertEquals("nosniff", header(page, "X-Content-Type-Options"));

            String html = page.body();
            assertTrue(html.contains("data-mount=\"/live\""), html);
            assertTrue(html.matches("(?s).*<audio id=\"audio\" controls[^>]*>.*"), html);
            assertTrue(html.contains("<script type=\"module\" src=\"/static/player.js\"></script>"), html);
            assertTrue(html.contains("href=\"/static/player.css\""), html);
            assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "no inline script");
            assertFalse(html.contains("style="), "no inline style");
            for (String asset : List.of("/static/player.js", "/static/player.css")) {
                assertEquals(200, server.get(asset).statusCode(), asset);
            }
        }
    }

    @Test
    void aMountPathWithSlashesAndDotsGetsItsPlayer() throws Exception {
        try (RawSource source = new RawSource(server, "/shows/late.mp3", (byte) 2)) {
            awaitPublic("/shows/late.mp3");
            assertTrue(server.get("/player/shows/late.mp3").body().contains("data-mount=\"/shows/late.mp3\""));
            assertTrue(server.get("/embed/shows/late.mp3").body().contains("data-mount=\"/shows/late.mp3\""));
            assertEquals(404, server.get("/player/shows").statusCode());
        }
    }

    @Test
    void hiddenPrivateOffAirAndUnknownMountsHaveNoPlayer() throws Exception {
        try (RawSource hidden = new RawSource(server, "/hidden", (byte) 3);
             RawSource hiddenToo = new RawSource(server, "/private", (byte) 4);
             RawSource open = new RawSource(server, "/open", (byte) 5)) {
            awaitPublic("/open");
            // /jazz is configured and public, but nothing plays on it
            for (String path : List.of("/player/hidden", "/player/private", "/player/jazz", "/player/nothing",
                    "/player/", "/player/open/", "/embed/hidden", "/embed/private", "/embed/nothing")) {
                HttpResponse<String> answer = server.get(path);
                assertEquals(404, answer.statusCode(), path);
                assertTrue(header(answer, "Content-Type").startsWith("text/html"), path);
                assertTrue(answer.body().contains("Nothing is on air here."), path);
                assertFalse(answer.body().contains("data-mount"), path);
            }
        }
    }

    @Test
    void theEmbedMayBeFramedByAnySiteAndEveryOtherPageMayNot() throws Exception {
        try (RawSource source = new RawSource(server, "/framed", (byte) 6)) {
            awaitPublic("/framed");
            HttpResponse<String> embed = server.get("/embed/framed");
            assertEquals(200, embed.statusCode());
            String csp = header(embed, "Content-Security-Policy");
            assertTrue(csp.contains("frame-ancestors *") && csp.contains("media-src 'self'"), csp);
            assertFalse(csp.contains("frame-ancestors 'none'"), csp);
            assertEquals(null, header(embed, "X-Frame-Options"));
            assertTrue(embed.body().contains("data-mount=\"/framed\""));
            assertTrue(embed.body().matches("(?s).*<audio id=\"audio\" controls[^>]*>.*"));
            // an embed whose station went away says so inside the frame instead of being refused
            assertEquals(null, header(server.get("/embed/nothing"), "X-Frame-Options"));

            for (String path : List.of("/", "/player/framed", "/player/nothing", "/admin/login", "/static/player.js",
                    "/static/player.css")) {
                HttpResponse<String> answer = server.get(path);
                assertEquals("DENY", header(answer, "X-Frame-Options"), path);
                assertTrue(header(answer, "Content-Security-Policy").contains("frame-ancestors 'none'"), path);
            }
        }
    }

    @Test
    void aPageConnectionEndsWithItsAnswerSoTheStreamIsAskedForOnAFreshOne() throws Exception {
        try (RawSource source = new RawSource(server, "/fresh", (byte) 7)) {
            awaitPublic("/fresh");
            for (String[] ask : new String[][] {{"/player/fresh", "200"}, {"/static/player.js", "200"},
                    {"/metrics", "200"}, {"/admin/no-such-page", "404"}}) {
                try (RawClient browser = new RawClient(server.port())) {
                    String head = browser.send("GET " + ask[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Connection: keep-alive\r\n\r\n").readHead();
                    assertTrue(head.startsWith("HTTP/1.1 " + ask[1]), ask[0] + ": " + head);
                    assertTrue(browser.closedByServer(), "the server closes the connection after " + ask[0]);
                    // and says so, or a client that keeps it for its next request (the JDK's HttpClient
                    // does after a 404 that says keep-alive) sends that request into a closed socket
                    assertTrue(head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"),
                            ask[0] + ": " + head);
                }
            }
        }
    }

    static double sseClients() throws Exception {
        return ObservabilityTest.metric(server.get("/metrics").body(), "tinyice_sse_clients", "");
    }

    @Test
    void sseClientsCountsOpenEventStreamsOfBothPages() throws Exception {
        Eventually.await(Duration.ofSeconds(5), "no event streams from earlier tests", () -> sseClients() == 0);
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        try (RawClient publicStream = new RawClient(server.port())) {
            String head = publicStream.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream"
                    + "\r\n\r\n").readHead();
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            publicStream.readBytes(20); // the first event has started
            Eventually.await(Duration.ofSeconds(3), "one stream counted", () -> sseClients() == 1);

            try (LiveEventsTest.EventStream adminStream = new LiveEventsTest.EventStream(admin, "/admin/events")) {
                adminStream.await("stats", data -> true, Duration.ofSeconds(3));
                Eventually.await(Duration.ofSeconds(3), "the admin stream counted too", () -> sseClients() == 2);
            }
            Eventually.await(Duration.ofSeconds(5), "the closed admin stream no longer counted",
                    () -> sseClients() == 1);
        }
        Eventually.await(Duration.ofSeconds(5), "the closed public stream no longer counted",
                () -> sseClients() == 0);
    }
}
