package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dashboard accounts over HTTP (the JSON routes; the page to manage them is not built yet): admins add
 * and remove users, every change is saved to tinyice.json, and a removed user's sessions end at once.
 */
class DashboardUsersTest {

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

    @Test
    void anAdminAddsAUserAndRemovingItEndsItsSessionsAtOnce() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        assertEquals(200, admin.postForm("/admin/users/add",
                "name=dj-carl&password=carl-password&role=dj&mounts=%2Fcarl%2C%2Flate").statusCode());
        String file = Files.readString(dir.resolve("tinyice.json"));
        assertTrue(file.contains("{\"name\": \"dj-carl\", \"password\": \"$argon2id$"), file);
        assertTrue(file.contains("\"mounts\": [\"/carl\", \"/late\"]"), file);
        assertFalse(file.contains("carl-password"), "never the password itself");
        String users = admin.get("/admin/users").body();
        assertTrue(users.contains("{\"name\":\"admin\",\"role\":\"admin\",\"mounts\":[]}"), users);
        assertTrue(users.contains("{\"name\":\"dj-carl\",\"role\":\"dj\",\"mounts\":[\"/carl\",\"/late\"]}"), users);
        assertFalse(users.contains("argon2"), users);

        DashboardClient carl = DashboardClient.loggedIn(server, "dj-carl", "carl-password");
        DashboardClient carlElsewhere = DashboardClient.loggedIn(server, "dj-carl", "carl-password");
        try (LiveEventsTest.EventStream events = new LiveEventsTest.EventStream(carl, "/admin/events")) {
            events.await("stats", d -> true, Duration.ofSeconds(2));
            assertEquals(200, admin.post("/admin/users/remove?name=dj-carl").statusCode());
            assertEquals(401, carl.get("/admin/session").statusCode(), "at once");
            assertEquals(401, carlElsewhere.get("/admin/session").statusCode(), "every session of the user");
            events.await("logout", d -> true, Duration.ofSeconds(2));
        }
        assertFalse(Files.readString(dir.resolve("tinyice.json")).contains("dj-carl"));
        assertEquals(401, new DashboardClient(server).logIn("dj-carl", "carl-password").statusCode());
        assertEquals(200, admin.get("/admin/session").statusCode(), "the admin's own session is untouched");
    }

    @Test
    void onlyAdminsManageUsersAndEveryChangeNeedsTheCsrfToken() throws Exception {
        DashboardClient dj = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        assertEquals(403, dj.get("/admin/users").statusCode());
        assertEquals(403, dj.postForm("/admin/users/add", "name=dj-eve&password=eve-password&role=admin")
                .statusCode());
        assertEquals(403, dj.post("/admin/users/remove?name=dj-bob").statusCode());
        assertEquals(401, new DashboardClient(server).post("/admin/users/remove?name=dj-bob", "x").statusCode());

        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        assertEquals(403, admin.send(admin.request("/admin/users/add")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=dj-eve&password=eve-password"))).statusCode(),
                "no CSRF token");
        assertEquals(404, admin.get("/admin/users/remove?name=dj-bob").statusCode(), "GET changes nothing");
        assertEquals(400, admin.post("/admin/users/remove?name=admin").statusCode(), "the first admin stays");
        assertEquals(409, admin.postForm("/admin/users/add", "name=dj-bob&password=bob-password-2").statusCode());
        assertEquals(400, admin.postForm("/admin/users/add", "name=dj-eve&password=short").statusCode());
        assertEquals(400, admin.postForm("/admin/users/add", "name=dj-eve&password=eve-password&role=boss")
                .statusCode());
        assertEquals(404, admin.post("/admin/users/remove?name=ghost").statusCode());
        String users = admin.get("/admin/users").body();
        assertTrue(users.contains("dj-bob") && !users.contains("dj-eve"), users);
        assertEquals(200, dj.get("/admin/session").statusCode());
    }
}
