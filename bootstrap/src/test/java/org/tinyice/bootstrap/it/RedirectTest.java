package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redirect when full, between real servers on loopback: an origin whose mount is full sends a new
 * listener to an edge with room ({@code 302}), which a real player (curl) follows and gets decodable audio
 * from; the edge is one that reports itself on its master polls, or one of {@code "redirect_to"}.
 */
class RedirectTest {

    static final String RELAY_PASSWORD = "relay-secret";

    @TempDir
    Path dir;

    private Path sub(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    /** A port free now, for an edge that must know its own public address before it starts. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The head of a plain listener's request to {@code target}; the connection is closed after it. */
    private static String headOf(TestServer server, String target) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            return client.send("GET " + target + " HTTP/1.0\r\nUser-Agent: new-listener/1.0\r\n\r\n").readHead();
        }
    }

    /** Reads {@code listener}'s stream on a thread of its own, as a player would, counting the bytes. */
    private static AtomicLong keepPlaying(RawClient listener) {
        AtomicLong heard = new AtomicLong();
        Thread.ofVirtual().name("first-listener").start(() -> {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = listener.input();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    heard.addAndGet(n);
                }
            } catch (IOException closed) {
                // the test closed it
            }
        });
        return heard;
    }

    /** The whole answer to a request the server closes after (a refusal, a redirect). */
    private static String answerOf(TestServer server, String target) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.timeout(10_000);
            return new String(client.send("GET " + target + " HTTP/1.0\r\n\r\n").readToEnd(),
                    StandardCharsets.UTF_8);
        }
    }

    /**
     * curl as a listener, following redirects, for 4 s; then ffmpeg decodes what it saved.
     *
     * @return the URL curl ended up streaming from
     */
    private String playWithCurlAndDecode(String url) throws Exception {
        Path saved = dir.resolve("heard-" + System.nanoTime() + ".mp3");
        Path pcm = dir.resolve("heard-" + System.nanoTime() + ".pcm");
        ExternalProcess.Result curl = ExternalProcess.run(dir, 20, List.of("curl", "-sS", "-L", "--max-redirs", "3",
                "--max-time", "4", "-o", saved.toString(), "-w", "%{http_code} %{url_effective}\\n", url));
        // 28: stopped by --max-time, as a stream never ends by itself
        assertEquals(28, curl.exitCode(), curl.output());
        ExternalProcess.Result ffmpeg = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v", "error",
                "-y", "-i", saved.toString(), "-f", "s16le", "-ac", "1", "-ar", "8000", pcm.toString()));
        assertEquals(0, ffmpeg.exitCode(), ffmpeg.output());
        ShortBuffer samples = ByteBuffer.wrap(Files.readAllBytes(pcm)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        assertTrue(samples.remaining() > 8_000, "more than a second of audio: " + samples.remaining() + " samples");
        int loudest = 0;
        while (samples.hasRemaining()) {
            loudest = Math.max(loudest, Math.abs(samples.get()));
        }
        assertTrue(loudest > 1_000, "the tone, not silence: the loudest sample is " + loudest);
        Matcher written = Pattern.compile("(?m)^(\\d{3} http://\\S+)$").matcher(curl.output());
        assertTrue(written.find(), curl.output());
        return written.group(1);
    }

    @Test
    void aFullOriginSendsANewListenerToTheEdgeThatReportedItselfUntilTheEdgeStops() throws Exception {
        int edgePort = freePort();
        try (TestServer origin = TestServer.start(sub("origin"), "{\"relay_password\": \"" + RELAY_PASSWORD
                + "\", \"mounts\": {\"/live\": {\"max_listeners\": 1}}}");
             ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live")) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            try (RawClient first = RawClient.listen(origin, "/live", "first-listener/1.0")) {
                // it must keep reading: a listener that stops is dropped after 10 s, and the mount is no longer full
                AtomicLong heard = keepPlaying(first);
                assertTrue(headOf(origin, "/live").startsWith("HTTP/1.0 403"), "full, and no edge yet");

                TestServer edge = TestServer.start(sub("edge"), "{\"master\": {\"url\": \"http://127.0.0.1:"
                        + origin.port() + "\", \"username\": \"relay\", \"password\": \"" + RELAY_PASSWORD
                        + "\", \"interval\": 1, \"public_url\": \"http://127.0.0.1:" + edgePort + "\"}}", edgePort);
                try (edge) {
                    // the edge's relay gets in although /live is full: it has the relay account
                    Eventually.await(Duration.ofSeconds(10), "/live relayed to the edge",
                            () -> edge.statusJson().contains("/live\""));
                    String head = headOf(origin, "/live?session=abc");
                    assertTrue(head.startsWith("HTTP/1.0 302 Found\r\n"), head);
                    assertTrue(head.contains("\r\nLocation: http://127.0.0.1:" + edgePort + "/live?session=abc\r\n"),
                            "the same mount and query on the edge: " + head);

                    String playedFrom = playWithCurlAndDecode(origin.url("/live?session=abc"));
                    assertEquals("200 http://127.0.0.1:" + edgePort + "/live?session=abc", playedFrom);
                    long before = heard.get();
                    Eventually.await(Duration.ofSeconds(5), "the first listener still plays on the origin",
                            () -> heard.get() > before);
                }
                // the edge stopped: after three of its 1 s intervals without a poll it is forgotten
                Eventually.await(Duration.ofSeconds(10), "the origin refuses again",
                        () -> headOf(origin, "/live").startsWith("HTTP/1.0 403"));
                String refused = answerOf(origin, "/live");
                assertTrue(refused.startsWith("HTTP/1.0 403 Forbidden\r\n") && refused.contains("Mount full"),
                        "refused as before any edge: " + refused);
            }
        }
    }

    @Test
    void aStaticEdgeOfRedirectToTakesTheListenersUntilAReloadRemovesIt() throws Exception {
        int edgePort = freePort();
        Path originDir = sub("origin");
        try (TestServer origin = TestServer.start(originDir, "{\"relay_password\": \"" + RELAY_PASSWORD
                + "\", \"redirect_to\": [\"http://127.0.0.1:" + edgePort + "\"],"
                + " \"mounts\": {\"/live\": {\"max_listeners\": 1}}}");
             ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live")) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            // a static edge polls nobody: it relays the mount like any relay, with the relay account so that
            // the full origin lets it in rather than sending it (to itself) as a listener
            try (TestServer edge = TestServer.start(sub("edge"), "{\"relays\": [{\"url\": \"" + origin.url("/live")
                    + "\", \"username\": \"relay\", \"password\": \"" + RELAY_PASSWORD + "\"}]}", edgePort)) {
                // the edge's relay is the origin's one listener: /live is full
                Eventually.await(Duration.ofSeconds(10), "/live relayed to the edge",
                        () -> edge.statusJson().contains("/live\""));
                String head = headOf(origin, "/live");
                assertTrue(head.startsWith("HTTP/1.0 302 Found\r\n")
                        && head.contains("\r\nLocation: http://127.0.0.1:" + edgePort + "/live\r\n"), head);
                assertEquals("200 http://127.0.0.1:" + edgePort + "/live",
                        playWithCurlAndDecode(origin.url("/live")));

                Path file = originDir.resolve("tinyice.json");
                String edited = Files.readString(file, StandardCharsets.UTF_8)
                        .replaceAll("\"redirect_to\":\\s*\\[[^\\]]*\\],?\\s*", "");
                assertTrue(!edited.contains("redirect_to"), edited);
                Files.writeString(file, edited);
                assertTrue(origin.reload(), "the edited file reloads");
                assertTrue(headOf(origin, "/live").startsWith("HTTP/1.0 403"), "without edges: refused as before");
            }
        }
    }
}
