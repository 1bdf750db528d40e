package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source handshake in each of its wire forms, checked byte for byte: whatever framing the
 * encoder used, listeners receive exactly the bytes it sent.
 */
class SourceProtocolTest {

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

    private static String auth() {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString(
                ("source:" + TestServer.SOURCE_PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    private static byte[] pattern(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Connects a listener to a live mount before any audio, so it gets exactly what follows. */
    private static RawClient listenerOn(String mount) throws Exception {
        Eventually.await(Duration.ofSeconds(5), mount + " live", () -> server.statusJson().contains(mount + "\""));
        RawClient listener = new RawClient(server.port());
        String head = listener.send("GET " + mount + " HTTP/1.0\r\n\r\n").readHead();
        assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
        return listener;
    }

    @Test
    void aSourceCannotTakeAPathThePagesAnswerOn() throws Exception {
        for (String path : List.of("/events", "/player/live", "/embed/live", "/static/x.js", "/api/status",
                "/admin", "/admin/stats", "/metrics", "/")) {
            try (RawClient source = new RawClient(server.port())) {
                String head = source.send("SOURCE " + path + " HTTP/1.0\r\nAuthorization: Basic "
                        + Base64.getEncoder().encodeToString(("source:" + TestServer.SOURCE_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 403"), path + ": " + head);
                assertTrue(new String(source.readToEnd(), StandardCharsets.UTF_8)
                        .contains("reserved"), path);
            }
        }
        try (RawSource fine = new RawSource(server, "/eventsfm", (byte) 1)) {
            assertTrue(fine.isStreaming(), "a name that only starts like a page is a mount like any other");
        }
    }

    @Test
    void putWithExpectGets100Then200BeforeAnyBodyByte() throws Exception {
        try (RawClient source = new RawClient(server.port())) {
            source.send("PUT /put-expect HTTP/1.1\r\nHost: x\r\n" + auth()
                    + "Content-Type: audio/mpeg\r\nExpect: 100-continue\r\n\r\n");
            String answer = source.readHead() + source.readHead();
            assertEquals("HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\nHTTP/1.0 200 OK\r\n\r\n", answer);
            try (RawClient listener = listenerOn("/put-expect")) {
                byte[] audio = pattern(50_000, 1);
                source.send(audio);
                assertArrayEquals(audio, listener.readBytes(audio.length));
            }
        }
    }

    @Test
    void putWithoutExpectAndSourceOverHttp11StreamUntouched() throws Exception {
        for (String requestLine : new String[] {"PUT /plain-put HTTP/1.1", "SOURCE /legacy11 HTTP/1.1"}) {
            String mount = requestLine.split(" ")[1];
            try (RawClient source = new RawClient(server.port())) {
                source.send(requestLine + "\r\n" + auth() + "Content-Type: audio/aac\r\n\r\n");
                assertEquals("HTTP/1.0 200 OK\r\n\r\n", source.readHead());
                try (RawClient listener = listenerOn(mount)) {
                    byte[] audio = pattern(40_000, 2);
                    source.send(audio);
                    assertArrayEquals(audio, listener.readBytes(audio.length), requestLine);
                }
            }
        }
    }

    @Test
    void chunkedPutIsDechunked() throws Exception {
        try (RawClient source = new RawClient(server.port())) {
            source.send("PUT /chunked HTTP/1.1\r\nHost: x\r\n" + auth()
                    + "Content-Type: audio/mpeg\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertEquals("HTTP/1.0 200 OK\r\n\r\n", source.readHead());
            try (RawClient listener = listenerOn("/chunked")) {
                byte[] audio = pattern(30_000, 3);
                ByteArrayOutputStream framed = new ByteArrayOutputStream();
                int at = 0;
                int[] sizes = {1, 4095, 17, 8192, 9999};
                for (int i = 0; at < audio.length; i++) {
                    int size = Math.min(sizes[i % sizes.length], audio.length - at);
                    framed.write((Integer.toHexString(size) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
                    framed.write(audio, at, size);
                    framed.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    at += size;
                }
                source.send(framed.toByteArray());
                assertArrayEquals(audio, listener.readBytes(audio.length));
                source.send("0\r\n\r\n");
                assertTrue(listener.closedByServer(), "the last chunk ends the stream");
            }
        }
    }

    @Test
    void sourceBytesSentRightBehindTheHeadAreKept() throws Exception {
        // libshout and liquidsoap do not wait for the answer: head and first audio share a packet
        byte[] audio = pattern(20_000, 4);
        try (RawClient source = new RawClient(server.port())) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(("SOURCE /eager HTTP/1.0\r\n" + auth() + "Content-Type: audio/mpeg\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.write(audio, 0, 1000);
            source.send(request.toByteArray());
            assertEquals("HTTP/1.0 200 OK\r\n\r\n", source.readHead());
            Eventually.await(Duration.ofSeconds(5), "mount live", () -> server.statusJson().contains("/eager\""));
            source.send(Arrays.copyOfRange(audio, 1000, audio.length));
            try (RawClient listener = new RawClient(server.port())) {
                listener.send("GET /eager HTTP/1.0\r\n\r\n").readHead();
                assertArrayEquals(audio, listener.readBytes(audio.length), "the burst starts with the first bytes");
            }
        }
    }

    @Test
    void libshoutsCredentialFreeChallengeGets401AndTheConnectionStaysUsable() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("OPTIONS * HTTP/1.1\r\nHost: x\r\nUser-Agent: libshout/2.4.6\r\nUpgrade: TLS/1.0\r\n\r\n");
            String options = client.readHead();
            assertTrue(options.startsWith("HTTP/1.0 200 OK"), options);
            assertTrue(options.contains("Allow: GET, HEAD, SOURCE, OPTIONS"), options);
            client.send("SOURCE /probe HTTP/1.1\r\nHost: x\r\nContent-Type: audio/mpeg\r\nContent-Length: 0\r\n\r\n");
            String challenge = client.readHead();
            assertTrue(challenge.startsWith("HTTP/1.0 401 Authentication Required"), challenge);
            assertTrue(challenge.contains("WWW-Authenticate: Basic realm=\"Icecast2 Server\""), challenge);
            int length = Integer.parseInt(challenge.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertEquals("You need to authenticate\r\n", new String(client.readBytes(length), StandardCharsets.UTF_8));
            client.send("SOURCE /probe HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Type: audio/mpeg\r\n\r\n");
            assertEquals("HTTP/1.0 200 OK\r\n\r\n", client.readHead());
        }
        // the server sees the close when its read of the source wakes: soon, not at once
        Eventually.await(Duration.ofSeconds(5), "the source left with its connection",
                () -> server.get("/probe").statusCode() == 404);
    }

    @Test
    void latin1MetadataIsConvertedWhenTheCharsetSaysSo() throws Exception {
        try (RawClient source = new RawClient(server.port())) {
            source.send("SOURCE /latin HTTP/1.0\r\n" + auth() + "Content-Type: audio/mpeg\r\n\r\n");
            source.readHead();
            Eventually.await(Duration.ofSeconds(5), "mount live", () -> server.statusJson().contains("/latin\""));
            String answer = FfmpegSourceTest.adminGetOn(server,
                    "/admin/metadata?mode=updinfo&mount=%2Flatin&charset=ISO-8859-1&song=Caf%E9%20%27Bleu%27",
                    "source", TestServer.SOURCE_PASSWORD);
            assertTrue(answer.contains("Metadata update successful"), answer);
            assertTrue(server.statusJson().contains("\"title\":\"Café 'Bleu'\""), server.statusJson());
        }
    }
}
