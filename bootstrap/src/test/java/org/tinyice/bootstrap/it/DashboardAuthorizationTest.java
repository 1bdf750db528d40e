package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what on the dashboard, against the real server: anonymous requests are redirected or get
 * 401, a dj cannot touch another dj's mount (403), a missing, wrong or stale CSRF token gets 403, and no
 * GET changes anything.
 */
class DashboardAuthorizationTest {

    static final String CONFIG = """
            {"mounts": {"/hidden": {"hidden": true}},
             "users": [
               {"name": "dj-anna", "password": "anna-password", "role": "dj", "mounts": ["/anna"]},
               {"name": "dj-bob", "password": "bob-password", "role": "dj", "mounts": ["/bob"]}
             ]}
            """;

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final List<String> ACTIONS = List.of("/admin/listeners/kick?mount=/anna&id=1",
            "/admin/sources/kick?mount=/anna", "/admin/lockouts/lift?address=127.0.0.1", "/admin/logout");

    /** True when the server has not closed the connection within 300 ms. */
    static boolean stillOpen(RawClient client) throws java.io.IOException {
        client.timeout(300);
        try {
            return !client.closedByServer();
        } finally {
            client.timeout(10_000);
        }
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPageOrGet401() throws Exception {
        DashboardClient anonymous = new DashboardClient(server);
        HttpResponse<String> page = anonymous.get("/admin");
        assertEquals(303, page.statusCode());
        assertEquals("/admin/login", page.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> login = anonymous.get("/admin/login");
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("<form method=\"post\" action=\"/admin/login\""), login.body());
        for (String path : List.of("/admin/session", "/admin/events", "/admin/listeners?mount=/anna",
                "/admin/lockouts")) {
            assertEquals(401, anonymous.get(path).statusCode(), path);
        }
        for (String action : ACTIONS) {
            assertEquals(401, anonymous.post(action, "anything").statusCode(), action);
        }
        anonymous.cookie = "tinyice_session=made-up-by-the-client";
        assertEquals(303, anonymous.get("/admin").statusCode(), "an id the server never gave is no session");
        assertEquals(401, anonymous.post("/admin/sources/kick?mount=/anna", "x").statusCode());
    }

    @Test
    void loginSetsASafeCookieAndAWrongPasswordIsRefused() throws Exception {
        DashboardClient client = new DashboardClient(server);
        HttpResponse<String> wrong = client.logIn("dj-anna", "not-her-password");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("Wrong user name or password."), wrong.body());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(401, new DashboardClient(server).logIn("nobody", "anna-password").statusCode());

        HttpResponse<String> ok = client.logIn("dj-anna", "anna-password");
        assertEquals(303, ok.statusCode());
        assertEquals("/admin", ok.headers().firstValue("Location").orElseThrow());
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.matches("tinyice_session=[A-Za-z0-9_-]{43}; Path=/admin; HttpOnly; SameSite=Lax"), cookie);
        assertEquals(200, client.get("/admin").statusCode());
        String session = client.get("/admin/session").body();
        assertTrue(session.contains("\"user\":\"dj-anna\",\"role\":\"dj\",\"mounts\":[\"/anna\"]"), session);

        String before = client.cookie;
        client.logIn("dj-anna", "anna-password");
        assertNotEquals(before, client.cookie, "every login gets a new id");
        DashboardClient old = new DashboardClient(server);
        old.cookie = before;
        assertEquals(401, old.get("/admin/session").statusCode(), "and the id sent along with the login is ended");
    }

    @Test
    void aDjCannotSeeOrTouchAnotherDjsMount() throws Exception {
        try (RawSource anna = new RawSource(server, "/anna", (byte) 1);
             RawSource bob = new RawSource(server, "/bob", (byte) 2);
             RawClient bobsListener = RawClient.listen(server, "/bob", "BobsFan/1.0");
             RawClient annasListener = RawClient.listen(server, "/anna", "AnnasFan/1.0")) {
            DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            DashboardClient djAnna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
            long bobsId = admin.listenerId("/bob", "BobsFan/1.0");

            assertEquals(403, djAnna.get("/admin/listeners?mount=/bob").statusCode());
            assertEquals(403, djAnna.post("/admin/listeners/kick?mount=/bob&id=" + bobsId).statusCode());
            assertEquals(403, djAnna.post("/admin/sources/kick?mount=/bob").statusCode());
            assertEquals(403, djAnna.get("/admin/lockouts").statusCode(), "lockouts are the admins' business");
            assertEquals(403, djAnna.post("/admin/lockouts/lift?address=192.0.2.1").statusCode());
            assertTrue(stillOpen(bobsListener), "bob's listener is still there");
            assertTrue(bob.isStreaming(), "bob's source is still there");

            long annasId = djAnna.listenerId("/anna", "AnnasFan/1.0");
            assertEquals(200, djAnna.post("/admin/listeners/kick?mount=/anna&id=" + annasId).statusCode());
            assertTrue(annasListener.closedByServer(), "her own listener is kicked");
            assertEquals(404, djAnna.post("/admin/listeners/kick?mount=/anna&id=" + annasId).statusCode());

            assertEquals(200, admin.post("/admin/listeners/kick?mount=/bob&id=" + bobsId).statusCode());
            assertTrue(bobsListener.closedByServer(), "an admin acts on every mount");
        }
    }

    @Test
    void aDjsLiveViewHoldsOnlyItsOwnMounts() throws Exception {
        try (RawSource anna = new RawSource(server, "/anna", (byte) 1);
             RawSource bob = new RawSource(server, "/bob", (byte) 2)) {
            DashboardClient djAnna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
            String event = LiveEventsTest.firstEvent(djAnna, "/admin/events", "stats");
            assertTrue(event.contains("\"mount\":\"/anna\""), event);
            assertFalse(event.contains("/bob"), event);
        }
    }

    @Test
    void aMissingWrongOrStaleCsrfTokenIsRefused() throws Exception {
        try (RawSource anna = new RawSource(server, "/anna", (byte) 1)) {
            DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            String stale = admin.csrf;
            admin.logIn(TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD); // a new session, a new token
            assertNotEquals(stale, admin.csrf);
            for (String token : new String[] {null, "", "wrong", stale}) {
                HttpResponse<String> answer = admin.post("/admin/sources/kick?mount=/anna", token);
                assertEquals(403, answer.statusCode(), "token " + token);
                assertTrue(answer.body().contains("CSRF"), answer.body());
            }
            DashboardClient other = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
            assertEquals(403, other.post("/admin/sources/kick?mount=/anna", admin.csrf).statusCode(),
                    "another session's token");
            HttpResponse<String> crossSite = admin.send(admin.request("/admin/sources/kick?mount=/anna")
                    .header("X-CSRF-Token", admin.csrf).header("Origin", "http://evil.example")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertEquals(403, crossSite.statusCode(), "another site's request");
            Thread.sleep(300);
            assertTrue(anna.isStreaming(), "no refused request did anything");
            assertEquals(200, admin.post("/admin/sources/kick?mount=/anna").statusCode());
            Eventually.await(Duration.ofSeconds(3), "source kicked", () -> !anna.isStreaming());
        }
    }

    @Test
    void noGetChangesState() throws Exception {
        try (RawSource anna = new RawSource(server, "/anna", (byte) 1);
             RawClient listener = RawClient.listen(server, "/anna", "Stays/1.0")) {
            DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            long id = admin.listenerId("/anna", "Stays/1.0");
            for (String action : List.of("/admin/listeners/kick?mount=/anna&id=" + id,
                    "/admin/sources/kick?mount=/anna", "/admin/logout", "/admin/lockouts/lift?address=127.0.0.1")) {
                int status = admin.get(action).statusCode();
                assertTrue(status == 404 || status == 405, action + " answered " + status);
            }
            assertTrue(stillOpen(listener), "the listener is still connected");
            assertTrue(anna.isStreaming(), "the source is still connected");
            assertEquals(200, admin.get("/admin/session").statusCode(), "still logged in");
        }
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        HttpResponse<String> out = admin.post("/admin/logout");
        assertEquals(200, out.statusCode());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, admin.get("/admin/session").statusCode());
        assertEquals(303, admin.get("/admin").statusCode());
    }

    @Test
    void pagesAndAssetsCarryTheSecurityHeaders() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        for (String path : List.of("/admin", "/admin/login", "/", "/static/admin.js", "/static/tinyice.css",
                "/admin/session")) {
            HttpResponse<String> answer = (path.equals("/admin/login") ? new DashboardClient(server) : admin).get(path);
            assertEquals(200, answer.statusCode(), path);
            String csp = answer.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
            assertFalse(csp.contains("unsafe-inline"), csp);
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElseThrow(), path);
            assertEquals("same-origin", answer.headers().firstValue("Referrer-Policy").orElseThrow(), path);
        }
        assertTrue(admin.get("/static/admin.js").headers().firstValue("Content-Type").orElseThrow()
                .startsWith("text/javascript"));
        for (String page : List.of("/admin", "/admin/login", "/")) {
            String html = (page.equals("/admin/login") ? new DashboardClient(server) : admin).get(page).body();
            assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "no inline script in " + page);
        }
        HttpResponse<String> traversal = admin.get("/static/..%2Ftinyice.json");
        assertNotEquals(200, traversal.statusCode());
        assertFalse(traversal.body().contains("admin_password"));
        assertEquals(404, admin.get("/static/nothing.js").statusCode());
    }

    @Test
    void fiveFailedLoginsLockTheAddressOutUntilAnAdminLiftsIt() throws Exception {
        Path own = Files.createDirectories(dir.resolve("lockout"));
        try (TestServer locked = TestServer.start(own, CONFIG)) {
            DashboardClient admin = DashboardClient.loggedIn(locked, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            DashboardClient guesser = new DashboardClient(locked);
            for (int i = 1; i <= 4; i++) {
                assertEquals(401, guesser.logIn("dj-anna", "guess-" + i).statusCode(), "guess " + i);
            }
            HttpResponse<String> fifth = guesser.logIn("dj-anna", "guess-5");
            assertEquals(429, fifth.statusCode());
            assertTrue(fifth.body().contains("locked out until"), fifth.body());
            assertEquals(429, guesser.logIn("dj-anna", "anna-password").statusCode(), "even the right password");
            assertEquals(200, admin.get("/admin/session").statusCode(), "existing sessions are not touched");

            String lockouts = admin.get("/admin/lockouts").body();
            assertTrue(lockouts.contains("\"address\":\"127.0.0.1\",\"failures\":5"), lockouts);
            assertTrue(LiveEventsTest.firstEvent(admin, "/admin/events", "stats")
                    .contains("\"lockouts\":[{\"address\":\"127.0.0.1\""), "the live view shows it");
            assertEquals(200, admin.post("/admin/lockouts/lift?address=127.0.0.1").statusCode());
            assertEquals(404, admin.post("/admin/lockouts/lift?address=127.0.0.1").statusCode());
            assertEquals(303, guesser.logIn("dj-anna", "anna-password").statusCode(), "lifted");
        }
    }
}
