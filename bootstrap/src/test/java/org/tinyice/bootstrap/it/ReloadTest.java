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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -HUP} reloads {@code tinyice.json} in a running server (its own process, a real signal):
 * settings, accounts and mounts change without dropping the stream; a broken or missing file changes
 * nothing and says why.
 */
class ReloadTest {

    @TempDir
    Path dir;

    @Test
    void aHangupReloadsTheFileAndABrokenFileChangesNothing() throws Exception {
        Path file = dir.resolve("tinyice.json");
        Files.writeString(file, """
                {"mounts": {"/live": {"name": "Studio"}}}
                """);
        try (ServerProcess server = ServerProcess.start(dir);
             RawSource source = new RawSource(server.port(), "/live", (byte) 3, TestServer.SOURCE_PASSWORD)) {
            TestServer.Remote remote = new TestServer.Remote(server.port());
            Eventually.await(Duration.ofSeconds(5), "/live listed", () -> statusJson(server).contains("/live"));
            assertEquals(401, logIn(server, "dj-new", "a-long-password"), "not a user yet");

            // an operator edits the file by hand: /live hidden, a dashboard user with a typed password
            String edited = Files.readString(file)
                    .replace("\"hidden\": false", "\"hidden\": true")
                    .replace("\"mounts\": {", "\"users\": [{\"name\": \"dj-new\", \"password\": \"a-long-password\","
                            + " \"role\": \"dj\", \"mounts\": [\"/live\"]}],\n  \"mounts\": {");
            assertTrue(edited.contains("\"hidden\": true") && edited.contains("dj-new"), edited);
            Files.writeString(file, edited);
            int from = server.lines();
            server.hangUp();
            server.awaitLine(from, "configuration reloaded");

            assertFalse(statusJson(server).contains("/live"), "hidden at once");
            assertTrue(source.isStreaming(), "the source stays on the air");
            assertEquals(303, logIn(server, "dj-new", "a-long-password"), "the new user logs in");
            assertFalse(Files.readString(file).contains("a-long-password"), "and its password is hashed in the file");

            // a broken file: the running configuration stays, the error names the line
            Files.writeString(file, "{\n  \"port\": 8000,\n  \"mounts\": nope\n}\n");
            from = server.lines();
            server.hangUp();
            String error = server.awaitLine(from, "configuration not reloaded");
            assertTrue(error.contains("line 3"), error);
            assertTrue(source.isStreaming());
            assertTrue(remote.adminGet("/admin/listclients?mount=/live").contains("<source mount=\"/live\">"),
                    "still serving");

            Files.delete(file);
            from = server.lines();
            server.hangUp();
            assertTrue(server.awaitLine(from, "configuration not reloaded").contains("is gone"));
            assertFalse(Files.exists(file), "a missing file is not replaced by defaults");
            assertEquals(303, logIn(server, "dj-new", "a-long-password"), "what was in force stays in force");
        }
    }

    static String statusJson(ServerProcess server) throws Exception {
        return DashboardClient.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/status-json.xsl")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The status of a dashboard login: 303 when it worked, 401 when it did not. */
    static int logIn(ServerProcess server, String user, String password) throws Exception {
        return DashboardClient.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/admin/login")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + password)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
