package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS port from PEM files: listeners (curl, a raw TLS client reading ICY titles), a source over TLS
 * (ffmpeg {@code -tls 1}), pages, API and playlists, all with a test CA made by openssl.
 */
class TlsTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static TestCertificates ca;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.forServerIn(dir, "rsa");
        server = TestServer.start(dir, "{" + TestCertificates.TLS_ON_ANY_PORT + "}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void curlOverHttpsRecordsDecodableAudio() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/secure-curl")) {
            Sources.awaitMount(server, "/secure-curl", source);
            Path received = dir.resolve("https.mp3");
            ExternalProcess.Result curl = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-m", "3",
                    "--cacert", ca.caFile().toString(), "-o", received.toString(), server.httpsUrl("/secure-curl")));
            assertEquals(28, curl.exitCode(), "curl should stop on its own 3 s limit: " + curl.output());
            // the mount has just gone live, so there is little burst: about three seconds at 128 kbit/s
            assertTrue(Files.size(received) > 32 * 1024, "two seconds or more of audio, got " + Files.size(received));
            ExternalProcess.Result decode = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-i", received.toString(), "-f", "null", "-"));
            assertEquals(0, decode.exitCode(), decode.output());
        }
    }

    @Test
    void tlsListenerGetsIcyTitlesInStream() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/secure-icy");
             SSLSocket listener = (SSLSocket) ca.clientContext().getSocketFactory()
                     .createSocket("localhost", server.httpsPort())) {
            Sources.awaitMount(server, "/secure-icy", source);
            listener.setSoTimeout(20_000);
            listener.getOutputStream().write("GET /secure-icy HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(listener);
            assertTrue(head.startsWith("HTTP/1.0 200 OK\r\n"), head);
            assertTrue(head.contains("icy-metaint:16000\r\n"), head);
            FfmpegSourceTest.IcyReader icy = new FfmpegSourceTest.IcyReader(listener.getInputStream(), 16000);
            assertEquals("StreamTitle='';", icy.nextTitle());
            try (RawClient admin = new RawClient(server.port())) {
                String answer = new String(admin.send("GET /admin/metadata?mode=updinfo&mount=%2Fsecure-icy&song=Over%20TLS"
                        + " HTTP/1.0\r\nAuthorization: Basic " + basic("source", TestServer.SOURCE_PASSWORD)
                        + "\r\n\r\n").readToEnd(), StandardCharsets.UTF_8);
                assertTrue(answer.contains("Metadata update successful"), answer);
            }
            String title = null;
            for (int block = 0; block < 20 && !"StreamTitle='Over TLS';".equals(title); block++) {
                title = icy.nextTitle();
            }
            assertEquals("StreamTitle='Over TLS';", title, "the new title arrives in the encrypted stream");
            assertTrue(server.statusJson().contains("\"listeners\":1"), "the TLS listener is counted");
        }
    }

    @Test
    void ffmpegStreamsOverTlsAndAPlainListenerHearsIt() throws Exception {
        String url = "icecast://source:" + TestServer.SOURCE_PASSWORD + "@localhost:" + server.httpsPort()
                + "/from-tls";
        try (ExternalProcess source = Encoders.ffmpegMp3To(dir, url, "-tls", "1")) {
            Sources.awaitMount(server, "/from-tls", source);
            Players.assertRecordsMp3(dir, server.url("/from-tls"), "from-tls");
        }
    }

    @Test
    void pagesApiStatusAndPlaylistsAreServedOverHttps() throws Exception {
        assertEquals("ok\n", curl("/healthz"));
        assertTrue(curl("/status-json.xsl").contains("\"icestats\""));
        assertTrue(curl("/").contains("<html"), "the public page");
        assertTrue(curl("/admin/login").contains("<form"), "the dashboard's login page");
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/secure-list")) {
            Sources.awaitMount(server, "/secure-list", source);
            String playlist = curl("/secure-list.m3u");
            assertTrue(playlist.contains("https://localhost:" + server.httpsPort() + "/secure-list"),
                    "a client that came over HTTPS gets an HTTPS URL: " + playlist);
            String plain = server.get("/secure-list.m3u").body();
            assertTrue(plain.contains("http://127.0.0.1:" + server.port() + "/secure-list"), plain);
        }
    }

    private static String curl(String path) throws IOException, InterruptedException {
        ExternalProcess.Result result = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-f", "--cacert",
                ca.caFile().toString(), server.httpsUrl(path)));
        assertEquals(0, result.exitCode(), path + ": " + result.output());
        return result.output();
    }

    static String readHead(SSLSocket socket) throws IOException {
        StringBuilder head = new StringBuilder();
        var in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
