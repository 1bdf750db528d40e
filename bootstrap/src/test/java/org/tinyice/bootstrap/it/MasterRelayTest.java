package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Icecast's master/slave relaying between real servers on loopback: the origin's
 * {@code /admin/streamlist.txt} for the admin and the relay account, and an edge with {@code "master"}
 * that relays whatever the origin lists.
 */
class MasterRelayTest {

    static final String RELAY_PASSWORD = "relay-secret";

    @TempDir
    Path dir;

    private Path sub(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private static String get(int port, String path, String user, String password) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send("GET " + path + " HTTP/1.0\r\nAuthorization: Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
            return new String(client.readToEnd(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theStreamListIsForTheAdminAndTheRelayAccountAndLeavesHiddenMountsOut() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), "{\"relay_password\": \"" + RELAY_PASSWORD
                + "\", \"mounts\": {\"/secret\": {\"hidden\": true}}}");
             RawSource live = new RawSource(origin, "/live", (byte) 1);
             RawSource jazz = new RawSource(origin, "/jazz", (byte) 2);
             RawSource secret = new RawSource(origin, "/secret", (byte) 3)) {
            Eventually.await(Duration.ofSeconds(5), "/live and /jazz live",
                    () -> origin.statusJson().contains("/live\"") && origin.statusJson().contains("/jazz\""));
            try (RawClient listener = RawClient.listen(origin, "/secret", "check/1.0")) {
                listener.awaitRun((byte) 3, 100); // hidden, yet live
            }

            String byAdmin = get(origin.port(), "/admin/streamlist.txt", TestServer.ADMIN_USER,
                    TestServer.ADMIN_PASSWORD);
            assertTrue(byAdmin.startsWith("HTTP/1.0 200 OK\r\n")
                    && byAdmin.contains("Content-Type: text/plain; charset=utf-8\r\n"), byAdmin);
            String body = byAdmin.substring(byAdmin.indexOf("\r\n\r\n") + 4);
            assertEquals(java.util.Set.of("/live", "/jazz"), java.util.Set.of(body.split("\r\n")), body);
            assertTrue(body.endsWith("\r\n"), "each line ends in CRLF, as Icecast's: " + body);

            String byRelay = get(origin.port(), "/admin/streamlist.txt", "relay", RELAY_PASSWORD);
            assertEquals(body, byRelay.substring(byRelay.indexOf("\r\n\r\n") + 4));

            assertTrue(get(origin.port(), "/admin/streamlist.txt", "relay", "wrong")
                    .startsWith("HTTP/1.0 401"), "a wrong relay password");
            assertTrue(get(origin.port(), "/admin/stats", "relay", RELAY_PASSWORD).startsWith("HTTP/1.0 401"),
                    "the relay account lists streams and does nothing else");
            String xml = get(origin.port(), "/admin/streamlist", "relay", RELAY_PASSWORD);
            assertTrue(xml.contains("<source mount=\"/live\">"), "streamlist without .txt is listmounts' XML: " + xml);
        }
    }

    @Test
    void withoutARelayPasswordOnlyTheAdminListsTheStreams() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), "{}")) {
            assertTrue(get(origin.port(), "/admin/streamlist.txt", TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD)
                    .startsWith("HTTP/1.0 200 OK"));
            assertTrue(get(origin.port(), "/admin/streamlist.txt", "relay", "").startsWith("HTTP/1.0 401"));
            assertTrue(get(origin.port(), "/admin/streamlist.txt", "relay", "anything").startsWith("HTTP/1.0 401"));
        }
    }

    @Test
    void anEdgeWithAMasterRelaysEveryMountTheOriginListsAndStopsThoseThatGo() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), "{\"relay_password\": \"" + RELAY_PASSWORD
                + "\", \"mounts\": {\"/secret\": {\"hidden\": true}}}");
             RawSource secret = new RawSource(origin, "/secret", (byte) 3);
             TestServer edge = TestServer.start(sub("edge"), "{\"master\": {\"url\": \"http://127.0.0.1:"
                     + origin.port() + "\", \"username\": \"relay\", \"password\": \"" + RELAY_PASSWORD
                     + "\", \"interval\": 1}, \"relays\": [{\"url\": \"" + origin.url("/jazz") + "\","
                     + " \"mount\": \"/fixed\"}]}")) {
            RawSource live = new RawSource(origin, "/live", (byte) 1);
            Eventually.await(Duration.ofSeconds(10), "/live relayed to the edge",
                    () -> edge.statusJson().contains("/live\""));
            try (RawClient listener = RawClient.listen(edge, "/live", "edge-listener/1.0")) {
                listener.awaitRun((byte) 1, 1000);
            }
            assertTrue(!edge.statusJson().contains("/secret"), "a hidden mount is not listed, so not relayed");

            assertEquals(java.util.List.of("/fixed", "/live"), relayedMounts(edge));

            live.close();
            // sooner than the relay's 10 s grace would end the mount: the master's list no longer has it
            Eventually.await(Duration.ofSeconds(5), "the edge's relay of /live stopped",
                    () -> relayedMounts(edge).equals(java.util.List.of("/fixed")));
            Eventually.await(Duration.ofSeconds(5), "the edge's /live gone with the origin's",
                    () -> !edge.statusJson().contains("/live\""));
        }
    }

    /** The mounts the edge's relays run for, sorted: the configured relay of the edge stays. */
    private static java.util.List<String> relayedMounts(TestServer edge) {
        return edge.relays().stream().map(state -> state.mount()).sorted().toList();
    }
}
