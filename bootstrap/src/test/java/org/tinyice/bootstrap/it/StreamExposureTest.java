package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a source can make the server say to others: streams come from the dashboard's origin, so a
 * source may not serve a page there, and nothing it sends may add a header or a playlist line.
 */
class StreamExposureTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    /** A source that sent {@code extraHeaders} and was admitted; the caller closes it. */
    private static RawClient source(String mount, String extraHeaders) throws Exception {
        RawClient source = new RawClient(server.port());
        source.send("SOURCE " + mount + " HTTP/1.0\r\n" + basic("source", TestServer.SOURCE_PASSWORD)
                + "Content-Type: audio/mpeg\r\n" + extraHeaders + "\r\n");
        assertEquals("HTTP/1.0 200 OK\r\n\r\n", source.readHead());
        Eventually.await(Duration.ofSeconds(5), mount + " live", () -> server.statusJson().contains(mount + "\""));
        return source;
    }

    /** The whole answer to a request on a fresh connection. */
    private static String answer(String request) throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send(request);
            return new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String listenerHead(String mount, String extraHeaders) throws Exception {
        try (RawClient listener = new RawClient(server.port())) {
            return listener.send("GET " + mount + " HTTP/1.0\r\n" + extraHeaders + "\r\n").readHead();
        }
    }

    private static void assertSandboxed(String what, String answer) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2);
        assertTrue(head.contains("\r\nX-Content-Type-Options: nosniff\r\n"), what + ": " + head);
        assertTrue(head.contains("\r\nContent-Security-Policy: sandbox\r\n"), what + ": " + head);
    }

    private static void assertNoBareLineBreak(String what, String text) {
        assertFalse(text.replace("\r\n", "").contains("\r"), what + " holds a bare CR: " + text);
    }

    @Test
    void aSourceDeclaringHtmlIsRefusedWith415AndNoMountAppears() throws Exception {
        for (String request : List.of("PUT /page HTTP/1.1\r\nHost: x\r\n", "SOURCE /page HTTP/1.0\r\n")) {
            try (RawClient source = new RawClient(server.port())) {
                source.send(request + basic("source", TestServer.SOURCE_PASSWORD)
                        + "Content-Type: text/html; charset=utf-8\r\n\r\n");
                String head = source.readHead();
                assertTrue(head.startsWith("HTTP/1.0 415 Unsupported Media Type\r\n"), request + head);
                assertTrue(new String(source.readToEnd(), StandardCharsets.UTF_8).contains("audio/*"));
            }
            assertFalse(server.statusJson().contains("/page"), "no mount for a refused source");
            assertTrue(listenerHead("/page", "").startsWith("HTTP/1.0 404 "));
        }
    }

    @Test
    void everyIcecastAnswerForbidsSniffingAndScript() throws Exception {
        try (RawClient source = source("/sandboxed", "")) {
            try (RawClient listener = new RawClient(server.port())) {
                assertSandboxed("stream", listener.send("GET /sandboxed HTTP/1.0\r\n\r\n").readHead());
            }
            assertSandboxed("playlist", answer("GET /sandboxed.m3u HTTP/1.0\r\n\r\n"));
            assertSandboxed("status", answer("GET /status-json.xsl HTTP/1.1\r\nHost: x\r\n\r\n"));
            String stats = answer("GET /admin/stats HTTP/1.0\r\n" + basic(TestServer.ADMIN_USER,
                    TestServer.ADMIN_PASSWORD) + "\r\n");
            assertTrue(stats.startsWith("HTTP/1.0 200 OK"), stats);
            assertSandboxed("admin command", stats);
        }
    }

    @Test
    void aSourcesOwnMetadataIntervalNeverReachesListeners() throws Exception {
        try (RawClient source = source("/metaint", "icy-metaint: 8192\r\nice-metaint: 4096\r\nIcy-MetaData: 1\r\n")) {
            String plain = listenerHead("/metaint", "");
            assertFalse(plain.toLowerCase().contains("icy-metaint"), "not asked, not sent: " + plain);
            String icy = listenerHead("/metaint", "Icy-MetaData: 1\r\n");
            assertEquals(1, icy.split("icy-metaint", -1).length - 1, icy);
            assertTrue(icy.contains("\r\nicy-metaint:16000\r\n"), "TinyIce's own interval only: " + icy);
        }
    }

    @Test
    void aCarriageReturnInAStreamNameReachesNoHeaderAndNoPlaylistLine() throws Exception {
        try (RawClient source = source("/crlf", "ice-name: Evil\rInjected: yes\r\nice-genre: Rock\r\n")) {
            String head = listenerHead("/crlf", "");
            assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
            assertNoBareLineBreak("listener head", head);
            assertFalse(head.contains("\r\nInjected: yes"), head);
            assertTrue(head.contains("\r\nicy-name:Evil Injected: yes\r\n"), head);

            String pls = answer("GET /crlf.pls HTTP/1.0\r\n\r\n");
            String body = pls.substring(pls.indexOf("\r\n\r\n") + 4);
            assertNoBareLineBreak(".pls", body);
            assertTrue(body.contains("\r\nTitle1=Evil Injected: yes\r\n"), body);
        }
        String injectedEntry = answer("GET /x%0D%0AFile2=http://evil.example/.pls HTTP/1.0\r\n\r\n");
        String body = injectedEntry.substring(injectedEntry.indexOf("\r\n\r\n") + 4);
        assertFalse(body.contains("\r\nFile2="), "a decoded request path adds no playlist entry: " + body);
    }
}
