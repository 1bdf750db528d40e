package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password checks against the real server, with real Argon2id: one throttle for every entry point
 * (Icecast's admin commands, the API, the dashboard, sources), and a flood of wrong passwords that
 * does not keep the admin waiting. Each test has its own server: they lock 127.0.0.1 out on purpose.
 */
class CredentialThrottleTest {

    @TempDir
    Path dir;

    @Test
    void threeHundredWrongSourcePasswordsAtOnceDoNotStallTheAdminsStats() throws Exception {
        try (TestServer server = TestServer.start(dir, null)) {
            List<RawClient> sources = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    sources.add(new RawClient(server.port()));
                }
                for (RawClient source : sources) {
                    source.send("SOURCE /flood HTTP/1.0\r\nAuthorization: Basic " + basic("source", "not-the-password")
                            + "\r\nContent-Type: audio/mpeg\r\n\r\n");
                }
                Thread.sleep(300); // the heads are read and the checks queued before the admin asks
                long start = System.nanoTime();
                String stats = FfmpegSourceTest.adminGetOn(server, "/admin/stats", TestServer.ADMIN_USER,
                        TestServer.ADMIN_PASSWORD);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(stats.startsWith("HTTP/1.0 200 "), stats);
                assertTrue(millis < 2000, "the admin waited " + millis + " ms behind the flood");
                for (RawClient source : sources) {
                    String head = source.readHead();
                    assertTrue(head.startsWith("HTTP/1.0 401 "), head);
                }
            } finally {
                for (RawClient source : sources) {
                    source.close();
                }
            }
        }
    }

    @Test
    void basicAuthOnAdminCommandsAndTheApiIsLockedOutLikeTheDashboard() throws Exception {
        try (TestServer server = TestServer.start(dir, null)) {
            DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            for (int i = 1; i <= 2; i++) {
                String wrong = FfmpegSourceTest.adminGetOn(server, "/admin/stats", "admin", "guess-" + i);
                assertTrue(wrong.startsWith("HTTP/1.0 401 "), wrong);
                assertEquals(401, api(server, "/api/status", "admin", "api-guess-" + i).statusCode());
            }
            String fifth = FfmpegSourceTest.adminGetOn(server, "/admin/stats", "admin", "guess-5");
            assertTrue(fifth.startsWith("HTTP/1.0 403 "), fifth);
            assertTrue(fifth.contains("locked out until"), fifth);

            String right = FfmpegSourceTest.adminGetOn(server, "/admin/stats", "admin", TestServer.ADMIN_PASSWORD);
            String wrong = FfmpegSourceTest.adminGetOn(server, "/admin/stats", "admin", "guess-6");
            assertTrue(right.startsWith("HTTP/1.0 403 "), "even the right password: " + right);
            assertEquals(withoutDate(wrong), withoutDate(right), "the answer does not tell the password was right");

            HttpResponse<String> apiRight = api(server, "/api/status", "admin", TestServer.ADMIN_PASSWORD);
            HttpResponse<String> apiWrong = api(server, "/api/status", "admin", "guess-7");
            assertEquals(429, apiRight.statusCode(), apiRight.body());
            assertEquals(apiWrong.body(), apiRight.body());
            assertTrue(apiRight.headers().firstValue("Retry-After").isPresent());
            assertEquals(429, new DashboardClient(server).logIn("admin", TestServer.ADMIN_PASSWORD).statusCode(),
                    "the dashboard's login shares the lockout");

            String lockouts = admin.get("/admin/lockouts").body();
            assertTrue(lockouts.contains("\"address\":\"127.0.0.1\",\"failures\":5"), lockouts);
            assertEquals(200, admin.post("/admin/lockouts/lift?address=127.0.0.1").statusCode());
            assertEquals(200, api(server, "/api/status", "admin", TestServer.ADMIN_PASSWORD).statusCode(), "lifted");
        }
    }

    static HttpResponse<String> api(TestServer server, String path, String user, String password) throws Exception {
        return DashboardClient.HTTP.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + basic(user, password)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String withoutDate(String answer) {
        return answer.replaceAll("(?m)^Date: .*$", "");
    }
}
