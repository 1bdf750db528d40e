package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg as the source (HTTP PUT with Expect: 100-continue), real and raw players as listeners. */
class FfmpegSourceTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(dir, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void ffmpegSourceIsHeardByFfprobeAndCurl() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/decode", "-ice_name", "Test Name",
                "-ice_genre", "Rock", "-ice_description", "Desc text", "-ice_url", "http://example.org")) {
            awaitMount("/decode", source);
            ExternalProcess.Result probe = ExternalProcess.run(dir, 30, List.of("ffprobe", "-hide_banner",
                    "-show_entries", "stream=codec_name,sample_rate", "-of", "compact", server.url("/decode")));
            assertEquals(0, probe.exitCode(), probe.output());
            assertTrue(probe.output().contains("codec_name=mp3"), probe.output());
            assertTrue(probe.output().contains("sample_rate=44100"), probe.output());

            Path received = dir.resolve("curl.mp3");
            ExternalProcess.Result curl = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-m", "3", "-o",
                    received.toString(), server.url("/decode")));
            assertEquals(28, curl.exitCode(), "curl should stop on its own 3 s limit: " + curl.output());
            long bytes = Files.size(received);
            assertTrue(bytes > 64 * 1024, "burst plus three seconds of audio, got " + bytes);
            ExternalProcess.Result decode = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-i", received.toString(), "-f", "null", "-"));
            assertEquals(0, decode.exitCode(), decode.output());

            String status = server.statusJson();
            assertTrue(status.contains("\"server_name\":\"Test Name\""), status);
            assertTrue(status.contains("\"genre\":\"Rock\""), status);
            assertTrue(status.contains("\"server_description\":\"Desc text\""), status);
            assertTrue(status.contains("\"server_url\":\"http://example.org\""), status);
            assertTrue(status.contains("\"server_type\":\"audio/mpeg\""), status);
            assertTrue(status.contains("\"listenurl\":\"http://localhost:" + server.port() + "/decode\""), status);
        }
    }

    @Test
    void listenerHeadIsIcecastsAndCarriesTheSourcesIcyHeaders() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/head", "-ice_name", "Head Name",
                "-ice_public", "1")) {
            awaitMount("/head", source);
            try (RawClient client = new RawClient(server.port())) {
                String head = client.send("GET /head HTTP/1.0\r\nUser-Agent: test\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 200 OK\r\n"), head);
                assertTrue(head.contains("Content-Type: audio/mpeg\r\n"), head);
                assertTrue(head.contains("Connection: Close\r\n"), head);
                assertTrue(head.contains("Access-Control-Allow-Origin: *\r\n"), head);
                assertTrue(head.contains("icy-name:Head Name\r\n"), head);
                assertTrue(head.contains("icy-pub:1\r\n"), head);
                assertFalse(head.contains("icy-metaint"), "no ICY metadata unless asked: " + head);
                assertFalse(head.toLowerCase().contains("transfer-encoding"), head);
                assertFalse(head.toLowerCase().contains("content-length"), head);
                assertEquals(65536, client.readBytes(65536).length, "the burst arrives at once");
            }
            try (RawClient client = new RawClient(server.port())) {
                String head = client.send("GET /head HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\nIcy-MetaData: 1\r\n"
                        + "Connection: close\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 200 OK\r\n"), "Range: bytes=0- still gets a live 200: " + head);
                assertTrue(head.contains("icy-metaint:16000\r\n"), head);
            }
            try (RawClient client = new RawClient(server.port())) {
                String head = client.send("HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 200 OK\r\n"), head);
                assertTrue(client.closedByServer(), "HEAD gets the head and nothing else");
            }
        }
    }

    @Test
    void metadataUpdateReachesIcyListenersAndStatus() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/meta")) {
            awaitMount("/meta", source);
            try (RawClient listener = new RawClient(server.port())) {
                String head = listener.send("GET /meta HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n").readHead();
                assertTrue(head.contains("icy-metaint:16000"), head);
                IcyReader icy = new IcyReader(listener.input(), 16000);
                assertEquals("StreamTitle='';", icy.nextTitle(), "the first block of a new listener names the title");

                var unauthenticated = server.get("/admin/metadata?mode=updinfo&mount=/meta&song=Nope");
                assertEquals(401, unauthenticated.statusCode());

                String answer = adminGet("/admin/metadata?mode=updinfo&mount=%2Fmeta&song=Artist%20-%20Title",
                        TestServer.SOURCE_PASSWORD, "source");
                assertTrue(answer.contains("<message>Metadata update successful</message><return>1</return>"), answer);
                assertTrue(server.statusJson().contains("\"title\":\"Artist - Title\""));

                listener.timeout(20_000);
                String title = null;
                for (int block = 0; block < 20 && !"StreamTitle='Artist - Title';".equals(title); block++) {
                    title = icy.nextTitle();
                }
                assertEquals("StreamTitle='Artist - Title';", title, "the new title arrives in-stream");
                assertTrue(icy.audioBytes() >= 16000 * 2, "audio kept flowing between blocks");
            }
            String both = adminGet("/admin/metadata?mode=updinfo&mount=/meta&artist=Band&title=Song",
                    TestServer.ADMIN_PASSWORD, TestServer.ADMIN_USER);
            assertTrue(both.contains("Metadata update successful"), both);
            assertTrue(server.statusJson().contains("\"title\":\"Band - Song\""));
        }
    }

    @Test
    void wrongPasswordGets401AndNoMount() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            String head = client.send("PUT /wrong HTTP/1.1\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString("source:nope".getBytes(StandardCharsets.UTF_8))
                    + "\r\nExpect: 100-continue\r\nContent-Type: audio/mpeg\r\n\r\n").readHead();
            assertTrue(head.startsWith("HTTP/1.0 401 "), head);
            assertTrue(head.contains("WWW-Authenticate: Basic realm=\"Icecast2 Server\""), head);
            assertFalse(head.contains("100 Continue"), "no 100 before the credentials are checked: " + head);
        }
        ExternalProcess.Result ffmpeg = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-loglevel",
                "error", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "libmp3lame", "-f", "mp3",
                "icecast://source:wrong@127.0.0.1:" + server.port() + "/wrong"));
        assertTrue(ffmpeg.exitCode() != 0, "ffmpeg must fail with a wrong password: " + ffmpeg.output());
        assertEquals(404, server.get("/wrong").statusCode());
        assertFalse(server.statusJson().contains("/wrong"));
    }

    @Test
    void secondSourceIsRefusedAndTheFirstKeepsStreaming() throws Exception {
        try (ExternalProcess first = Encoders.ffmpegMp3(dir, server, "/busy", "-ice_name", "First")) {
            awaitMount("/busy", first);
            try (RawClient second = new RawClient(server.port())) {
                second.send("SOURCE /busy HTTP/1.0\r\nAuthorization: Basic "
                        + Base64.getEncoder().encodeToString(("source:" + TestServer.SOURCE_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)) + "\r\nContent-Type: audio/mpeg\r\n\r\n");
                String answer = new String(second.readToEnd(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.0 403 Forbidden\r\n"), answer);
                assertTrue(answer.endsWith("\r\n\r\nMountpoint in use"), answer);
            }
            assertTrue(first.isAlive(), "the first source is untouched: " + first.output());
            try (RawClient listener = new RawClient(server.port())) {
                listener.send("GET /busy HTTP/1.0\r\n\r\n").readHead();
                assertEquals(65536 + 16000, listener.readBytes(65536 + 16000).length);
            }
            assertTrue(server.statusJson().contains("\"server_name\":\"First\""));
        }
    }

    @Test
    void listenerCountsGoUpAndDownWithinASecond() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/count")) {
            awaitMount("/count", source);
            List<RawClient> listeners = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient client = new RawClient(server.port());
                    client.send("GET /count HTTP/1.0\r\n\r\n").readHead();
                    listeners.add(client);
                }
                Eventually.await(Duration.ofSeconds(1), "3 listeners counted",
                        () -> server.statusJson().matches(".*\"listeners\":3,\"listenurl\":\"[^\"]*/count\".*"));
            } finally {
                for (RawClient client : listeners) {
                    client.close();
                }
            }
            Eventually.await(Duration.ofSeconds(2), "listeners counted out",
                    () -> server.statusJson().matches(".*\"listener_peak\":3,\"listeners\":0,.*"));
        }
    }

    @Test
    void sourceLeavingEndsListenersCleanlyAndRemovesTheMount() throws Exception {
        ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/leaving");
        awaitMount("/leaving", source);
        try (RawClient listener = new RawClient(server.port())) {
            listener.send("GET /leaving HTTP/1.0\r\n\r\n").readHead();
            listener.readBytes(1000);
            source.close();
            assertTrue(listener.closedByServer(), "the listener's stream ends when its source leaves");
        }
        Eventually.await(Duration.ofSeconds(2), "mount gone", () -> server.get("/leaving").statusCode() == 404);
        assertFalse(server.statusJson().contains("/leaving"));
    }

    static void awaitMount(String mount, ExternalProcess source) throws Exception {
        Sources.awaitMount(server, mount, source);
    }

    static String adminGet(String path, String password, String user) throws IOException {
        return adminGetOn(server, path, user, password);
    }

    /** A GET with Basic auth over HTTP/1.0, as libshout and stats tools send it; the whole answer. */
    static String adminGetOn(TestServer server, String path, String user, String password) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.0\r\nAuthorization: Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
            return new String(client.readToEnd(), StandardCharsets.UTF_8);
        }
    }

    /** Reads an ICY stream: audio runs of metaint bytes, each followed by a metadata block. */
    static final class IcyReader {
        private final InputStream in;
        private final int metaint;
        private long audio;

        IcyReader(InputStream in, int metaint) {
            this.in = in;
            this.metaint = metaint;
        }

        /** Skips to the next metadata block and returns its text ("" for an empty block). */
        String nextTitle() throws IOException {
            byte[] skipped = in.readNBytes(metaint);
            if (skipped.length < metaint) {
                throw new IOException("stream ended");
            }
            audio += metaint;
            int length = in.read() * 16;
            byte[] block = in.readNBytes(length);
            int end = 0;
            while (end < block.length && block[end] != 0) {
                end++;
            }
            return new String(block, 0, end, StandardCharsets.UTF_8);
        }

        long audioBytes() {
            return audio;
        }
    }
}
