package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (systemd's stop, {@code kill}): what the history holds only in memory at that moment (the
 * title just set, the session of a listener still connected) is in the database after the exit, and
 * the process exits within a bounded time even with a source and a listener connected.
 */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermWritesQueuedHistoryAndExitsInBoundedTime() throws Exception {
        ServerProcess server = ServerProcess.start(dir);
        try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel",
                "error", "-re", "-f", "lavfi", "-i", "sine=duration=600", "-c:a", "libmp3lame", "-b:a", "128k",
                "-content_type", "audio/mpeg", "-f", "mp3",
                new TestServer.Remote(server.port()).icecastUrl("/live")))) {
            int port = server.port();
            TestServer.Remote remote = new TestServer.Remote(port);
            Eventually.await(Duration.ofSeconds(15), "/live is up", () -> {
                if (!source.isAlive()) {
                    throw new Eventually.GiveUp(source.output());
                }
                return remote.adminGet("/admin/listmounts").contains("/live");
            });
            try (RawClient listener = new RawClient(port)) {
                String head = listener.send("GET /live HTTP/1.0\r\nUser-Agent: shutdown-test\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
                listener.readBytes(16_000);
                String answer = remote.adminGet("/admin/metadata?mode=updinfo&mount=/live&song=Last%20Song");
                assertTrue(answer.contains("Metadata update successful"), answer);
                long start = System.nanoTime();
                server.terminate();
                int status = server.awaitExit(20);
                long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                assertEquals(143, status, "the JVM's exit status for SIGTERM: " + server.output());
                assertTrue(seconds < 20, "exit took " + seconds + " s");
            }
        } finally {
            server.close();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tinyice.db"));
             Statement query = db.createStatement()) {
            try (ResultSet songs = query.executeQuery("SELECT title FROM song_plays WHERE mount = '/live'")) {
                boolean found = false;
                while (songs.next()) {
                    found |= songs.getString(1).equals("Last Song");
                }
                assertTrue(found, "the title set just before SIGTERM is in the history");
            }
            try (ResultSet sessions = query.executeQuery(
                    "SELECT count(*) FROM listener_sessions WHERE mount = '/live' AND user_agent = 'shutdown-test'")) {
                assertTrue(sessions.next());
                assertEquals(1, sessions.getInt(1), "the session of the listener connected at SIGTERM is recorded");
            }
        }
    }
}
