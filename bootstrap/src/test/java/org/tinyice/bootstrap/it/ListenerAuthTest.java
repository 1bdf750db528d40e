package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener authentication: static users, and an Icecast-style URL hook served by a small test server. */
class ListenerAuthTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static HttpServer hook;
    static final List<String> posts = new CopyOnWriteArrayList<>();
    /** What the hook that admits everyone was asked. */
    static final List<String> countedPosts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/auth", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.add(body);
            if (body.contains("action=listener_add") && body.contains("user=good")) {
                exchange.getResponseHeaders().add("icecast-auth-user", "1");
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.createContext("/counting", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            countedPosts.add(body);
            exchange.getResponseHeaders().add("icecast-auth-user", "1");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        int hookPort = hook.getAddress().getPort();
        // a port nothing listens on, for "hook down"
        int deadPort;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        server = TestServer.start(dir, """
                {"mounts": {
                  "/members": {"auth": {"type": "users", "users": {"alice": "wonderland"}}},
                  "/hooked": {"auth": {"type": "url", "listener_add": "http://127.0.0.1:%d/auth",
                                       "listener_remove": "http://127.0.0.1:%d/auth", "timeout": 2}},
                  "/strict": {"auth": {"type": "url", "listener_add": "http://127.0.0.1:%d/auth", "timeout": 1}},
                  "/lenient": {"auth": {"type": "url", "listener_add": "http://127.0.0.1:%d/auth", "timeout": 1,
                                        "admit_when_down": true}},
                  "/single": {"max_listeners": 1,
                              "auth": {"type": "url", "listener_add": "http://127.0.0.1:%d/counting",
                                       "listener_remove": "http://127.0.0.1:%d/counting", "timeout": 2}}
                }}
                """.formatted(hookPort, hookPort, deadPort, deadPort, hookPort, hookPort));
    }

    @AfterAll
    static void stop() {
        server.close();
        hook.stop(0);
    }

    static String get(String mount, String user, String password) throws Exception {
        return head("GET", mount, user, password);
    }

    /** The response head to a request on a fresh connection, with Basic credentials unless {@code user} is null. */
    static String head(String method, String mount, String user, String password) throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            String auth = user == null ? "" : "Authorization: Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
            return client.send(method + " " + mount + " HTTP/1.0\r\nUser-Agent: AuthTest\r\n" + auth + "\r\n")
                    .readHead();
        }
    }

    @Test
    void staticUsersMustLogIn() throws Exception {
        try (RawSource source = new RawSource(server, "/members", (byte) 1)) {
            String anonymous = get("/members", null, null);
            assertTrue(anonymous.startsWith("HTTP/1.0 401 "), anonymous);
            assertTrue(anonymous.contains("WWW-Authenticate: Basic realm="), anonymous);
            assertTrue(get("/members", "alice", "wrong").startsWith("HTTP/1.0 401 "));
            assertTrue(get("/members", "bob", "wonderland").startsWith("HTTP/1.0 401 "));
            assertTrue(get("/members", "alice", "wonderland").startsWith("HTTP/1.0 200 OK"));
        }
        String stored = Files.readString(dir.resolve("tinyice.json"));
        assertTrue(!stored.contains("wonderland") && stored.contains("\"alice\": \"$argon2id$"),
                "listener passwords are rewritten hashed: " + stored);
    }

    @Test
    void urlHookAdmitsDeniesAndHearsTheListenerLeave() throws Exception {
        try (RawSource source = new RawSource(server, "/hooked", (byte) 2)) {
            String denied = get("/hooked", "bad", "x");
            assertTrue(denied.startsWith("HTTP/1.0 403 "), denied);
            try (RawClient client = new RawClient(server.port())) {
                String head = client.send("GET /hooked HTTP/1.0\r\nUser-Agent: AuthTest\r\nAuthorization: Basic "
                        + Base64.getEncoder().encodeToString("good:pw".getBytes(StandardCharsets.UTF_8))
                        + "\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
                client.readBytes(3000);
            }
            Eventually.await(Duration.ofSeconds(5), "listener_remove posted",
                    () -> posts.stream().anyMatch(p -> p.contains("action=listener_remove") && p.contains("user=good")
                            && p.contains("mount=%2Fhooked") && p.contains("duration=") && p.contains("sent=")));
            String add = posts.stream().filter(p -> p.contains("action=listener_add") && p.contains("user=good"))
                    .findFirst().orElseThrow();
            assertTrue(add.contains("ip=127.0.0.1") && add.contains("agent=AuthTest") && add.contains("pass=pw")
                    && add.contains("client="), add);
        }
    }

    @Test
    void whenTheHookIsDownTheMountsDefaultDecides() throws Exception {
        try (RawSource strict = new RawSource(server, "/strict", (byte) 3);
             RawSource lenient = new RawSource(server, "/lenient", (byte) 4)) {
            String refused = get("/strict", "good", "pw");
            assertTrue(refused.startsWith("HTTP/1.0 403 "), refused);
            String admitted = get("/lenient", "good", "pw");
            assertTrue(admitted.startsWith("HTTP/1.0 200 OK"), admitted);
        }
    }

    private static long countedAdds() {
        return countedPosts.stream().filter(p -> p.contains("action=listener_add")).count();
    }

    @Test
    void aHeadAsksTheHookNothingAndGetsTheAnswerOfARefusedListener() throws Exception {
        try (RawSource source = new RawSource(server, "/single", (byte) 5)) {
            long before = countedAdds();
            String anonymous = head("HEAD", "/single", null, null);
            assertTrue(anonymous.startsWith("HTTP/1.0 401 "), anonymous);
            String withCredentials = head("HEAD", "/single", "good", "pw");
            assertTrue(withCredentials.startsWith("HTTP/1.0 403 "), withCredentials);
            assertTrue(get("/single", "good", "pw").startsWith("HTTP/1.0 200 OK"), "a GET still asks the hook");
            assertEquals(before + 1, countedAdds(), countedPosts.toString());
        }
    }

    @Test
    void aFullMountRefusesWithoutAskingTheHook() throws Exception {
        try (RawSource source = new RawSource(server, "/single", (byte) 6);
             RawClient first = RawClient.listen(server, "/single", "First")) {
            long before = countedAdds();
            String refused = get("/single", "good", "pw");
            assertTrue(refused.startsWith("HTTP/1.0 403 "), refused);
            assertEquals(before, countedAdds(), "the hook is not asked about a listener who cannot get in");
        }
    }
}
