package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /api JSON endpoints: the same facts and actions as the Icecast admin commands. */
class JsonApiTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> call(String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(String method, String path) throws Exception {
        return call(method, path, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
    }

    @Test
    void anotherSitesPageCannotUseTheBrowsersBasicCredentials() throws Exception {
        for (String[] header : new String[][] {{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}}) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                            URI.create(server.url("/api/mounts/kill-source?mount=/x")))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header(header[0], header[1]).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, refused.statusCode(), header[0]);
            assertTrue(refused.body().contains("cross-site request refused"), refused.body());
        }
        assertEquals(404, admin("POST", "/api/mounts/kill-source?mount=/x").statusCode(), "without them it is fine");
    }

    @Test
    void everythingButThePublicHistoryNeedsTheAdmin() throws Exception {
        for (String path : new String[] {"/api/status", "/api/mounts/listeners?mount=/x", "/api/history?mount=/x"}) {
            var anonymous = call("GET", path, null, null);
            assertEquals(401, anonymous.statusCode(), path);
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
            assertEquals(401, call("GET", path, "admin", "wrong").statusCode(), path);
            assertEquals(401, call("GET", path, "source", TestServer.SOURCE_PASSWORD).statusCode(), path);
        }
        assertEquals(401, call("POST", "/api/mounts/kill-source?mount=/x", null, null).statusCode());
        assertEquals(200, call("GET", "/api/public/history?mount=/x", null, null).statusCode());
    }

    @Test
    void statusListenersKickMoveMetadataAndKill() throws Exception {
        try (RawSource a = new RawSource(server, "/api-a", (byte) 1);
             RawSource b = new RawSource(server, "/api-b", (byte) 2);
             RawClient first = RawClient.listen(server, "/api-a", "First/1.0");
             RawClient second = RawClient.listen(server, "/api-a", "Second/1.0")) {
            String status = admin("GET", "/api/status").body();
            assertTrue(status.contains("\"mount\":\"/api-a\""), status);
            assertTrue(status.contains("\"source_user_agent\":\"RawSource/1.0\""), status);
            assertEquals("application/json; charset=UTF-8",
                    admin("GET", "/api/status").headers().firstValue("Content-Type").orElse(""));

            String listeners = admin("GET", "/api/mounts/listeners?mount=/api-a").body();
            Matcher m = Pattern.compile("\"id\":(\\d+),\"address\":\"127.0.0.1\",\"user_agent\":\"First/1.0\"")
                    .matcher(listeners);
            assertTrue(m.find(), listeners);
            String clients = FfmpegSourceTest.adminGetOn(server, "/admin/listclients?mount=/api-a", TestServer.ADMIN_USER,
                    TestServer.ADMIN_PASSWORD);
            assertTrue(clients.contains("<ID>" + m.group(1) + "</ID>"), "the same ids as Icecast's XML: " + clients);

            int viaGet = admin("GET", "/api/listeners/kick?mount=/api-a&id=" + m.group(1)).statusCode();
            assertTrue(viaGet >= 400, "nothing changes state on GET: " + viaGet);
            first.awaitRun((byte) 1, 1000); // still connected
            var kick = admin("POST", "/api/listeners/kick?mount=/api-a&id=" + m.group(1));
            assertEquals(200, kick.statusCode(), kick.body());
            assertTrue(first.closedByServer());
            assertEquals(404, admin("POST", "/api/listeners/kick?mount=/api-a&id=999999999").statusCode());

            var song = admin("POST", "/api/mounts/metadata?mount=/api-a&artist=Band&title=Tune");
            assertEquals(200, song.statusCode(), song.body());
            assertTrue(admin("GET", "/api/status").body().contains("\"title\":\"Band - Tune\""));

            var move = admin("POST", "/api/mounts/move-listeners?mount=/api-a&destination=/api-b");
            assertEquals(200, move.statusCode(), move.body());
            assertTrue(move.body().contains("\"moved\":1"), move.body());
            second.awaitRun((byte) 2, 3000);

            assertEquals(200, admin("POST", "/api/mounts/kill-source?mount=/api-b").statusCode());
            assertTrue(second.closedByServer());
            Eventually.await(Duration.ofSeconds(3), "/api-b gone",
                    () -> !admin("GET", "/api/status").body().contains("/api-b"));
            assertEquals(404, admin("POST", "/api/mounts/kill-source?mount=/api-b").statusCode());
        }
    }

    @Test
    void badTimesAreClearErrors() throws Exception {
        var bad = admin("GET", "/api/history?mount=/x&before=yesterday");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("ISO-8601"), bad.body());
        assertEquals(400, admin("GET", "/api/stats/history?mount=/x&from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z")
                .statusCode());
    }
}
