package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state-changing dashboard action against the real server: who may call it (anonymous 401, a
 * missing or stale CSRF token 403, a dj on another dj's mount or on admin business 403, nothing
 * changed by a refused call), then what it does, saved to {@code tinyice.json} and in force at once.
 */
class DashboardActionsTest {

    static final String CONFIG = """
            {"mounts": {"/anna": {}, "/bob": {"max_listeners": 7}},
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

    /** A POST and its form (null: none), aimed at dj-bob's mount or at admin business. */
    record Action(String path, String form) {
        @Override
        public String toString() {
            return path;
        }
    }

    static List<Action> actionsOnBobsThings(String bobsTokenId) {
        return List.of(
                new Action("/admin/listeners/kick?mount=/bob&id=1", null),
                new Action("/admin/listeners/move?mount=/bob&to=/anna", null),
                new Action("/admin/sources/kick?mount=/bob", null),
                new Action("/admin/mounts/edit?mount=/bob", settings("max_listeners=1")),
                new Action("/admin/mounts/disable?mount=/bob", null),
                new Action("/admin/mounts/enable?mount=/bob", null),
                new Action("/admin/lockouts/lift?address=192.0.2.1", null),
                new Action("/admin/users/add", "name=mallory&password=mallory-password&role=admin"),
                new Action("/admin/users/edit", "name=dj-anna&role=admin&mounts="),
                new Action("/admin/users/remove?name=dj-bob", null),
                new Action("/admin/tokens/revoke?id=" + bobsTokenId, null));
    }

    HttpResponse<String> send(DashboardClient client, Action action, String csrf) throws Exception {
        HttpRequest.Builder request = client.request(action.path());
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        if (action.form() != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(action.form()));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        return client.send(request);
    }

    @Test
    void everyActionIsRefusedToStrangersStaleTokensAndOtherDjs() throws Exception {
        DashboardClient bob = DashboardClient.loggedIn(server, "dj-bob", "bob-password");
        String bobsToken = createdTokenId(bob.postForm("/admin/tokens/create", "name=bobs+script"));
        try (RawSource bobsSource = new RawSource(server, "/bob", (byte) 2);
             RawClient bobsListener = RawClient.listen(server, "/bob", "BobsFan/1.0")) {
            String fileBefore = Files.readString(dir.resolve("tinyice.json"));
            DashboardClient anonymous = new DashboardClient(server);
            DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
            DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            String staleCsrf = admin.csrf;
            admin.logIn(TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);

            for (Action action : actionsOnBobsThings(bobsToken)) {
                assertEquals(401, send(anonymous, action, "anything").statusCode(), "anonymous " + action);
                assertEquals(403, send(admin, action, null).statusCode(), "no CSRF token " + action);
                assertEquals(403, send(admin, action, staleCsrf).statusCode(), "stale CSRF token " + action);
                assertEquals(403, send(anna, action, anna.csrf).statusCode(), "dj-anna " + action);
            }

            Thread.sleep(300);
            assertTrue(bobsSource.isStreaming(), "bob's source is still on the air");
            assertTrue(DashboardAuthorizationTest.stillOpen(bobsListener), "bob's listener is still there");
            assertEquals(fileBefore, Files.readString(dir.resolve("tinyice.json")), "nothing was saved");
            assertEquals(200, bob.get("/admin/session").statusCode(), "bob is still logged in");
            assertTrue(bob.get("/admin/tokens").body().contains(bobsToken), "bob's token is still there");
        }
    }

    @Test
    void aDjSeesOnlyItsOwnMountsSettingsAndTokens() throws Exception {
        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        String mounts = anna.get("/admin/mounts").body();
        assertTrue(mounts.contains("\"mount\":\"/anna\""), mounts);
        assertFalse(mounts.contains("/bob"), mounts);
        assertEquals(403, anna.get("/admin/users").statusCode());
        anna.postForm("/admin/tokens/create", "name=annas");
        String tokens = anna.get("/admin/tokens").body();
        assertTrue(tokens.contains("\"user\":\"dj-anna\""), tokens);
        assertFalse(tokens.contains("dj-bob"), tokens);
        for (String read : List.of("/admin/mounts", "/admin/tokens", "/admin/users", "/admin/settings",
                "/admin/accounts")) {
            int status = new DashboardClient(server).get(read).statusCode();
            assertTrue(status == 401 || status == 303, read + " answered " + status + " to a stranger");
        }
    }

    @Test
    void mountSettingsAreSavedToTheFileAndInForceForTheNextListener() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        HttpResponse<String> saved = admin.postForm("/admin/mounts/edit?mount=/edited",
                "max_listeners=1&burst_size=0&fallback=&fallback_override=false&public=true&hidden=true"
                        + "&password=edited-source-password");
        assertEquals(200, saved.statusCode(), saved.body());
        String file = Files.readString(dir.resolve("tinyice.json"));
        assertTrue(file.contains("\"/edited\": {"), file);
        assertTrue(file.contains("\"hidden\": true"), file);
        assertFalse(file.contains("edited-source-password"), "the password is saved hashed");
        String settings = admin.get("/admin/mounts").body();
        assertTrue(settings.contains("{\"mount\":\"/edited\",\"has_password\":true,\"max_listeners\":1,"
                + "\"burst_size\":0,\"fallback_override\":false,\"public\":true,\"hidden\":true,\"enabled\":true,"
                + "\"configured\":true,\"live\":false,\"low_latency\":false}"), settings);

        // the global source password no longer opens this mount; its own does
        try (RawClient refused = new RawClient(server.port())) {
            String head = refused.send(sourceRequest("/edited", TestServer.SOURCE_PASSWORD)).readHead();
            assertTrue(head.startsWith("HTTP/1.0 401"), head);
        }
        try (RawSource source = new RawSource(server, "/edited", (byte) 4, "edited-source-password");
             RawClient first = listenWhenLive("/edited");
             RawClient second = new RawClient(server.port())) {
            String full = second.send("GET /edited HTTP/1.0\r\n\r\n").readHead();
            assertFalse(full.startsWith("HTTP/1.0 200"), "max listeners 1 is in force: " + full);
            assertFalse(server.statusJson().contains("/edited"), "hidden from status at once");
        }

        HttpResponse<String> bad = admin.postForm("/admin/mounts/edit?mount=/edited", settings("max_listeners=-3"));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("max listeners"), bad.body());
        assertEquals(400, admin.postForm("/admin/mounts/edit?mount=/edited", settings("max_listeners=lots"))
                .statusCode());
        assertEquals(400, admin.postForm("/admin/mounts/edit?mount=/edited", settings("fallback=/edited"))
                .statusCode());
        assertEquals(400, admin.postForm("/admin/mounts/edit?mount=/edited", settings("public=maybe")).statusCode());
        HttpResponse<String> partial = admin.postForm("/admin/mounts/edit?mount=/edited", "max_listeners=2");
        assertEquals(400, partial.statusCode(), "one field alone must not reset the others");
        assertTrue(partial.body().contains("missing: burst_size"), partial.body());
        assertTrue(Files.readString(dir.resolve("tinyice.json")).contains("\"hidden\": true"), "unchanged");
        admin.postForm("/admin/mounts/edit?mount=/loop-a", settings("fallback=/loop-b"));
        HttpResponse<String> loop = admin.postForm("/admin/mounts/edit?mount=/loop-b", settings("fallback=/loop-a"));
        assertEquals(400, loop.statusCode());
        assertTrue(loop.body().contains("fallback loop"), loop.body());
        assertEquals(400, admin.postForm("/admin/mounts/edit?mount=no-slash", settings("")).statusCode());
    }

    @Test
    void disablingAMountTakesItsSourceOffTheAirUntilEnabled() throws Exception {
        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        try (RawSource source = new RawSource(server, "/anna", (byte) 5)) {
            assertEquals(200, anna.post("/admin/mounts/disable?mount=/anna").statusCode());
            Eventually.await(Duration.ofSeconds(3), "source dropped", () -> !source.isStreaming());
        }
        assertTrue(Files.readString(dir.resolve("tinyice.json")).contains("\"enabled\": false"));
        try (RawClient again = new RawClient(server.port())) {
            String head = again.send(sourceRequest("/anna", TestServer.SOURCE_PASSWORD)).readHead();
            assertTrue(head.startsWith("HTTP/1.0 403"), head);
            assertTrue(again.readToEnd().length >= 0);
        }
        assertTrue(anna.get("/admin/mounts").body().contains("\"enabled\":false"));
        assertEquals(200, anna.post("/admin/mounts/enable?mount=/anna").statusCode());
        try (RawSource back = new RawSource(server, "/anna", (byte) 6)) {
            assertTrue(back.isStreaming());
        }
    }

    @Test
    void moveAllSendsEveryListenerToTheOtherMount() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        try (RawSource from = new RawSource(server, "/move-from", (byte) 7);
             RawSource to = new RawSource(server, "/move-to", (byte) 8);
             RawClient one = RawClient.listen(server, "/move-from", "One/1.0");
             RawClient two = RawClient.listen(server, "/move-from", "Two/1.0")) {
            HttpResponse<String> moved = admin.post("/admin/listeners/move?mount=/move-from&to=/move-to");
            assertEquals(200, moved.statusCode(), moved.body());
            assertTrue(moved.body().contains("2 listeners moved to /move-to"), moved.body());
            one.awaitRun((byte) 8, 3000);
            two.awaitRun((byte) 8, 3000);
            assertEquals(409, admin.post("/admin/listeners/move?mount=/move-to&to=/move-to").statusCode());
            assertEquals(409, admin.post("/admin/listeners/move?mount=/move-to&to=/nowhere").statusCode());
        }
    }

    @Test
    void aTokenActsAsItsUserUntilRevokedAndIsStoredOnlyAsAHash() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        HttpResponse<String> created = admin.postForm("/admin/tokens/create", "name=status+script");
        assertEquals(201, created.statusCode(), created.body());
        String secret = field(created.body(), "secret");
        assertTrue(secret.matches("tinyice_[A-Za-z0-9_-]{43}"), secret);
        assertFalse(Files.readString(dir.resolve("tinyice.json")).contains(secret), "only its hash is saved");
        assertFalse(admin.get("/admin/tokens").body().contains(secret), "never shown again");

        assertEquals(200, bearer("/api/status", secret, "GET").statusCode(), "an admin's token opens the API");
        assertEquals(200, bearer("/admin/mounts", secret, "GET").statusCode(), "and the dashboard's JSON");
        assertEquals(401, bearer("/api/status", secret + "x", "GET").statusCode());
        assertEquals(401, bearer("/admin/mounts", "tinyice_" + "A".repeat(43), "GET").statusCode());

        DashboardClient anna = DashboardClient.loggedIn(server, "dj-anna", "anna-password");
        String annas = field(anna.postForm("/admin/tokens/create", "name=now+playing").body(), "secret");
        try (RawSource source = new RawSource(server, "/anna", (byte) 9)) {
            assertEquals(200, bearer("/api/mounts/metadata?mount=/anna&song=From+a+script", annas, "POST")
                    .statusCode(), "a dj's token sets its own mount's title");
            Eventually.await(Duration.ofSeconds(3), "title shown",
                    () -> server.statusJson().contains("From a script"));
            assertEquals(403, bearer("/api/mounts/metadata?mount=/bob&song=x", annas, "POST").statusCode());
            assertEquals(403, bearer("/api/status", annas, "GET").statusCode(), "but nothing else of the API");
            assertEquals(403, bearer("/admin/sources/kick?mount=/bob", annas, "POST").statusCode());
            // a dj's token sets titles and nothing else, on the dashboard's routes as on the API
            for (String action : List.of("/admin/sources/kick?mount=/anna", "/admin/listeners/kick?mount=/anna&id=1",
                    "/admin/listeners/move?mount=/anna&to=/bob", "/admin/mounts/disable?mount=/anna")) {
                assertEquals(403, bearer(action, annas, "POST").statusCode(), action);
            }
            HttpResponse<String> edit = DashboardClient.HTTP.send(HttpRequest.newBuilder(
                            URI.create(server.url("/admin/mounts/edit?mount=/anna")))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + annas)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(settings("password=taken-over"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, edit.statusCode(), "not the mount's settings, its source password least of all");
            assertEquals(403, bearer("/admin/listeners?mount=/anna", annas, "GET").statusCode());
            assertTrue(source.isStreaming(), "anna's source is still on the air");
            assertEquals(200, bearer("/admin/sources/kick?mount=/anna", secret, "POST").statusCode(),
                    "no CSRF token needed: a browser never sends a bearer token by itself");
        }

        // a leaked token must not mint what would outlive its revocation
        for (String path : List.of("/admin/tokens/create", "/admin/users/add?name=x&password=long-enough-1",
                "/admin/users/edit", "/admin/users/remove?name=dj-anna", "/admin/tokens/revoke?id=x")) {
            assertEquals(403, bearer(path, secret, "POST").statusCode(), path);
        }
        String id = field(created.body(), "id");
        assertEquals(200, admin.post("/admin/tokens/revoke?id=" + id).statusCode());
        assertEquals(401, bearer("/api/status", secret, "GET").statusCode(), "revoked at once");
        assertEquals(404, admin.post("/admin/tokens/revoke?id=" + id).statusCode());
    }

    @Test
    void aListenerIdThatIsNotANumberIsRefusedByEveryListenerAction() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        for (String path : List.of("/admin/listeners/kick?mount=/live&id=abc", "/admin/listeners/ban?mount=/live&id=")) {
            HttpResponse<String> refused = admin.post(path);
            assertEquals(400, refused.statusCode(), path);
            assertTrue(refused.body().contains("id must be a listener id"), path + ": " + refused.body());
        }
    }

    @Test
    void usersAreEditedAndRemovedWithTheirSessionsAndTokens() throws Exception {
        DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
        assertEquals(200, admin.postForm("/admin/users/add",
                "name=dj-carla&password=carla-password&role=dj&mounts=/carla").statusCode());
        DashboardClient carla = DashboardClient.loggedIn(server, "dj-carla", "carla-password");
        String token = field(carla.postForm("/admin/tokens/create", "name=carlas").body(), "secret");
        assertEquals(403, carla.get("/admin/listeners?mount=/other").statusCode());

        HttpResponse<String> edited = admin.postForm("/admin/users/edit",
                "name=dj-carla&role=dj&mounts=/carla,+/other");
        assertEquals(200, edited.statusCode(), edited.body());
        assertEquals(404, carla.get("/admin/listeners?mount=/other").statusCode(), "now hers (and not live)");
        assertTrue(Files.readString(dir.resolve("tinyice.json")).contains("\"mounts\": [\"/carla\", \"/other\"]"));

        assertEquals(200, admin.postForm("/admin/users/edit",
                "name=dj-carla&role=dj&mounts=/carla&password=new-carla-password").statusCode());
        assertEquals(401, carla.get("/admin/session").statusCode(), "a new password ends her sessions");
        assertEquals(401, new DashboardClient(server).logIn("dj-carla", "carla-password").statusCode());
        DashboardClient.loggedIn(server, "dj-carla", "new-carla-password");

        assertEquals(400, admin.postForm("/admin/users/edit", "name=admin&role=dj").statusCode(),
                "the first admin stays an admin");
        assertEquals(404, admin.postForm("/admin/users/edit", "name=nobody&role=dj&mounts=").statusCode());
        assertEquals(400, admin.postForm("/admin/users/edit", "name=dj-carla&mounts=/carla").statusCode(),
                "an edit without the role would turn an admin into a dj: refused");

        assertEquals(200, admin.post("/admin/users/remove?name=dj-carla").statusCode());
        assertEquals(401, bearer("/admin/mounts", token, "GET").statusCode(), "her token went with her");
        assertFalse(Files.readString(dir.resolve("tinyice.json")).contains("dj-carla"));
    }

    // ---- helpers ----

    /** A whole settings form: the defaults, with the fields in {@code changes} ("a=1&b=2") instead. */
    static String settings(String changes) {
        java.util.Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : "max_listeners=0&burst_size=&fallback=&fallback_override=false&public=true&hidden=false"
                .split("&")) {
            form.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        for (String pair : changes.split("&")) {
            if (pair.contains("=")) {
                form.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return String.join("&", form.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    static String sourceRequest(String mount, String password) {
        return "SOURCE " + mount + " HTTP/1.0\r\nAuthorization: Basic " + java.util.Base64.getEncoder()
                .encodeToString(("source:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\r\nContent-Type: audio/mpeg\r\n\r\n";
    }

    /** A listener, retried while the source just connected is not registered yet. */
    static RawClient listenWhenLive(String mount) throws Exception {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                return RawClient.listen(server, mount, "First/1.0");
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    static HttpResponse<String> bearer(String path, String token, String method) throws Exception {
        return DashboardClient.HTTP.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String createdTokenId(HttpResponse<String> created) {
        assertEquals(201, created.statusCode(), created.body());
        return field(created.body(), "id");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
