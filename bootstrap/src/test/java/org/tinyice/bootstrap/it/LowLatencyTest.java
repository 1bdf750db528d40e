package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Low-latency mounts and the chunk delay, timed against a source that writes only when the test says:
 * with {@code limits.chunk_ms} at its maximum (5 s) a default mount holds a small write back for
 * seconds, so a write that reaches the listener within a second or two went out as it arrived.
 */
class LowLatencyTest {

    private static final String CONFIG = """
            {"limits": {"chunk_ms": 5000},
             "mounts": {"/fast": {"low_latency": true}, "/toggled": {"name": "Toggled"}}}
            """;
    /** A generous bound for "at once" on a busy machine, far below the 5 s a default mount holds bytes. */
    private static final int AT_ONCE_MILLIS = 2000;
    /** Long enough to show a write is held, well inside the 5 s it is held for. */
    private static final int HELD_MILLIS = 1000;

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, CONFIG);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLowLatencyListenerGetsEachWriteAsItArrivesAndAsksProxiesNotToBuffer() throws Exception {
        try (RawClient source = RawSource.silent(server.port(), "/fast");
             RawClient listener = new RawClient(server.port())) {
            String head = listener.send("GET /fast HTTP/1.0\r\n\r\n").readHead();
            assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
            assertTrue(head.contains("\r\nX-Accel-Buffering: no\r\n"), head);

            for (byte b = 1; b <= 3; b++) {
                byte[] write = filled(b, 418); // one ffmpeg write at 128 kbit/s
                source.send(write);
                listener.timeout(AT_ONCE_MILLIS);
                assertArrayEquals(write, listener.readBytes(write.length), "write " + b + " arrived at once");
            }
        }
    }

    @Test
    void aDefaultMountsHeadHasNoProxyHintAndItsWritesAreGathered() throws Exception {
        try (RawClient source = RawSource.silent(server.port(), "/toggled");
             RawClient listener = new RawClient(server.port())) {
            String head = listener.send("GET /toggled HTTP/1.0\r\n\r\n").readHead();
            assertFalse(head.contains("X-Accel-Buffering"), head);
            source.send(filled((byte) 5, 418));
            listener.timeout(HELD_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> listener.readBytes(1), "held for chunk_ms");
        }
    }

    @Test
    void theDashboardToggleTakesEffectOnAConnectedListener() throws Exception {
        try (RawClient source = RawSource.silent(server.port(), "/toggled");
             RawClient listener = new RawClient(server.port())) {
            assertTrue(listener.send("GET /toggled HTTP/1.0\r\n\r\n").readHead().startsWith("HTTP/1.0 200 OK"));
            byte[] held = filled((byte) 7, 418);
            source.send(held);
            listener.timeout(HELD_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> listener.readBytes(1), "gathered before the toggle");

            DashboardClient admin = DashboardClient.loggedIn(server, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            HttpResponse<String> saved = admin.postForm("/admin/mounts/edit?mount=/toggled",
                    "max_listeners=0&burst_size=&fallback=&fallback_override=false&public=true&hidden=false"
                            + "&low_latency=true");
            assertEquals(200, saved.statusCode(), saved.body());
            assertTrue(admin.get("/admin/mounts").body().contains("\"low_latency\":true"));
            assertTrue(Files.readString(dir.resolve("tinyice.json")).contains("\"low_latency\": true"), "saved");

            listener.timeout(AT_ONCE_MILLIS);
            assertArrayEquals(held, listener.readBytes(held.length), "what was held goes out at once");
            byte[] next = filled((byte) 8, 418);
            source.send(next);
            assertArrayEquals(next, listener.readBytes(next.length), "and every write after it");
        }
    }

    @Test
    void aHangupChangesTheChunkDelayOfAStreamingSource() throws Exception {
        server.close(); // this one runs in a process of its own, to get a real SIGHUP
        server = null;
        Path file = dir.resolve("tinyice.json");
        Files.writeString(file, """
                {"limits": {"chunk_ms": 5000}}
                """);
        try (ServerProcess process = ServerProcess.start(dir);
             RawClient source = RawSource.silent(process.port(), "/live");
             RawClient listener = new RawClient(process.port())) {
            assertTrue(listener.send("GET /live HTTP/1.0\r\n\r\n").readHead().startsWith("HTTP/1.0 200 OK"));
            byte[] held = filled((byte) 9, 418);
            source.send(held);
            listener.timeout(HELD_MILLIS);
            assertThrows(SocketTimeoutException.class, () -> listener.readBytes(1), "held for 5 s");

            String before = Files.readString(file);
            String after = before.replaceAll("\"chunk_ms\":\\s*5000", "\"chunk_ms\": 0");
            assertFalse(after.equals(before), before);
            Files.writeString(file, after);
            int from = process.lines();
            process.hangUp();
            assertTrue(process.awaitLine(from, "limits.chunk_ms is now 0 ms").contains("chunk_ms"));

            listener.timeout(AT_ONCE_MILLIS);
            assertArrayEquals(held, listener.readBytes(held.length), "the streaming source follows the new delay");
            byte[] next = filled((byte) 10, 418);
            source.send(next);
            assertArrayEquals(next, listener.readBytes(next.length));
        }
    }

    private static byte[] filled(byte value, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
