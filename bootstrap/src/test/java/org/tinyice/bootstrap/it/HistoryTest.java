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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Song history end to end: a real ffmpeg source, three {@code /admin/metadata} updates, then
 * {@code /api/history} lists them newest first, and still does after the server is killed with
 * SIGKILL and started again on the same data directory.
 */
class HistoryTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path, boolean admin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (admin) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> titles(String json) {
        Matcher m = Pattern.compile("\"title\":\"([^\"]*)\"").matcher(json);
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void titlesAreListedNewestFirstAndSurviveAKill() throws Exception {
        List<String> expected = List.of("Third Artist - Third Song", "Second Artist - Second Song",
                "First Artist - First Song");
        try (ServerProcess server = ServerProcess.start(dir)) {
            int port = server.port();
            TestServer.Remote remote = new TestServer.Remote(port);
            try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel",
                    "error", "-re", "-f", "lavfi", "-i", "sine=duration=600", "-c:a", "libmp3lame", "-b:a", "128k",
                    "-content_type", "audio/mpeg", "-f", "mp3", remote.icecastUrl("/live")))) {
                Eventually.await(Duration.ofSeconds(15), "/live is up", () -> {
                    if (!source.isAlive()) {
                        throw new Eventually.GiveUp(source.output());
                    }
                    return get(port, "/status-json.xsl", false).body().contains("/live\"");
                });
                for (String title : expected.reversed()) {
                    String answer = remote.adminGet("/admin/metadata?mode=updinfo&mount=/live&song="
                            + title.replace(" ", "%20"));
                    assertTrue(answer.contains("Metadata update successful"), answer);
                    Thread.sleep(50); // distinct start times
                }
                assertEquals(401, get(port, "/api/history?mount=/live", false).statusCode());
                Eventually.await(Duration.ofSeconds(10), "three titles in the history",
                        () -> titles(get(port, "/api/history?mount=/live", true).body()).equals(expected));
                String body = get(port, "/api/history?mount=/live&limit=2", true).body();
                assertEquals(expected.subList(0, 2), titles(body), body);
                assertTrue(body.contains("\"artist\":\"Third Artist\",\"song\":\"Third Song\""), body);
                assertTrue(body.matches(".*\"started\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\".*"), body);
                assertEquals(expected, titles(get(port, "/api/public/history?mount=/live", false).body()));
                var stats = get(port, "/api/stats/history?mount=/live", true);
                assertEquals(200, stats.statusCode());
                assertTrue(stats.body().contains("\"samples\":["), stats.body());
            }
            server.kill();
        }
        try (ServerProcess restarted = ServerProcess.start(dir)) {
            String body = get(restarted.port(), "/api/history?mount=/live", true).body();
            assertEquals(expected, titles(body), "after kill -9 and restart: " + body);
        }
    }
}
