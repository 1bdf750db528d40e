package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.domain.icy.IcyDeinterleaver;

/**
 * Relays between real servers on loopback: a TinyIce edge relays a TinyIce origin (audio, titles in
 * status, ICY and history), Debian's Icecast as the origin, an origin that restarts within the grace
 * period, reload, kill source, and upstreams that are not streams at all.
 */
class RelayTest {

    @TempDir
    Path dir;

    /** What the relays log, to check that every problem is told clearly. */
    private final List<String> relayLog = new CopyOnWriteArrayList<>();
    private final Logger relayLogger = Logger.getLogger("org.tinyice.application.stream.Relay");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            relayLog.add(java.text.MessageFormat.format(record.getMessage(),
                    record.getParameters() == null ? new Object[0] : record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        relayLogger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        relayLogger.removeHandler(capture);
    }

    private Path sub(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private static String relaysJson(String... entries) {
        return "{\"relays\": [" + String.join(", ", entries) + "]}";
    }

    @Test
    void anEdgeRelaysATinyIceOriginWithItsTitles() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), null);
             // 320 kbit/s: an ICY block every 16,000 bytes is then 0.4 s apart, not 1 s as at 128 kbit/s, so the
             // 2 s bound below measures the relay and not two hops of waiting for the next block
             ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live", "-ice_name", "Origin Radio",
                     "-ice_genre", "Rock", "-b:a", "320k")) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            try (TestServer edge = TestServer.start(sub("edge"), relaysJson(
                    "{\"url\": \"" + origin.url("/live") + "\", \"mount\": \"/edge\"}"))) {
                Eventually.await(Duration.ofSeconds(10), "/edge is live", () -> edge.statusJson().contains("/edge\""));
                String status = edge.statusJson();
                assertTrue(status.contains("\"server_name\":\"Origin Radio\"") && status.contains("\"genre\":\"Rock\""),
                        "the upstream's icy headers are the source's: " + status);
                assertTrue(status.contains("\"source_ip\":\"127.0.0.1\"") || !status.contains("source_ip"), status);

                try (RawClient listener = new RawClient(edge.port())) {
                    String head = listener.send("GET /edge HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n").readHead();
                    assertTrue(head.startsWith("HTTP/1.0 200 OK") && head.contains("icy-metaint:16000"), head);
                    assertTrue(head.contains("icy-name:Origin Radio"), head);

                    new TestServer.Remote(origin.port()).adminGet(
                            "/admin/metadata?mount=/live&mode=updinfo&song=Artist%20-%20Relayed");
                    long set = System.nanoTime();
                    Eventually.await(Duration.ofSeconds(2), "the title in the edge's status",
                            () -> edge.statusJson().contains("\"title\":\"Artist - Relayed\""));
                    System.out.println("title on the edge after " + (System.nanoTime() - set) / 1_000_000 + " ms");

                    // the bound: within 2 s of being set on the origin, in status and in the ICY stream
                    Duration left = Duration.ofSeconds(2).minusNanos(System.nanoTime() - set);
                    IcyStream icy = IcyStream.read(listener.input(), 16_000, "Artist - Relayed",
                            left.isNegative() ? Duration.ZERO : left);
                    assertTrue(icy.titles.contains("Artist - Relayed"), "the title in the edge's ICY stream within 2 s: "
                            + icy.titles);
                    assertTrue(mp3Frames(icy.audio) > 5, "MP3 frames in the edge's audio");
                }
                // a real decoder: ffmpeg decodes two seconds of the edge's stream
                ExternalProcess.Result decoded = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v",
                        "error", "-t", "2", "-i", edge.url("/edge"), "-f", "null", "-"));
                assertEquals(0, decoded.exitCode(), decoded.output());
                Eventually.await(Duration.ofSeconds(10), "the title in the edge's history",
                        () -> count(edge.get("/api/public/history?mount=/edge").body(), "Artist - Relayed") == 1);
                Thread.sleep(1_500);
                assertEquals(1, count(edge.get("/api/public/history?mount=/edge").body(), "Artist - Relayed"),
                        "recorded once");

                // admin "kill source" ends the relay's connection and the mount; the relay connects again
                String killed = new TestServer.Remote(edge.port()).adminGet("/admin/killsource?mount=/edge");
                assertTrue(killed.contains("Source Removed") || killed.contains("<return>1</return>"), killed);
                Eventually.await(Duration.ofSeconds(5), "/edge gone",
                        () -> !edge.statusJson().contains("/edge\""));
                Eventually.await(Duration.ofSeconds(10), "/edge back after the backoff",
                        () -> edge.statusJson().contains("/edge\""));
            }
        }
    }

    @Test
    void oggFromTheOriginGivesLateJoinersOnTheEdgeTheCodecHeaders() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), null);
             ExternalProcess ffmpeg = Encoders.ffmpegOpus(dir, origin, "/opus.ogg")) {
            Sources.awaitMount(origin, "/opus.ogg", ffmpeg);
            try (TestServer edge = TestServer.start(sub("edge"), relaysJson(
                    "{\"url\": \"" + origin.url("/opus.ogg") + "\"}"))) {
                Eventually.await(Duration.ofSeconds(10), "/opus.ogg on the edge",
                        () -> edge.statusJson().contains("/opus.ogg\""));
                Thread.sleep(3_000);
                try (RawClient listener = RawClient.listen(edge, "/opus.ogg", "late/1.0")) {
                    byte[] first = listener.readBytes(64);
                    String text = new String(first, StandardCharsets.ISO_8859_1);
                    assertTrue(text.startsWith("OggS") && first[5] == 2 && text.contains("OpusHead"), text);
                }
            }
        }
    }

    @Test
    void theSameEdgeListenerHearsTheOriginAgainAfterItRestartsWithinTheGracePeriod() throws Exception {
        int originPort;
        try (ServerSocket free = new ServerSocket(0)) {
            originPort = free.getLocalPort();
        }
        TestServer origin = TestServer.start(sub("origin"), null, originPort);
        ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live");
        try (TestServer edge = TestServer.start(sub("edge"), relaysJson(
                "{\"url\": \"http://127.0.0.1:" + originPort + "/live\", \"grace_seconds\": 20}"))) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            Eventually.await(Duration.ofSeconds(10), "/live on the edge", () -> edge.statusJson().contains("/live\""));
            try (RawClient listener = RawClient.listen(edge, "/live", "patient/1.0")) {
                listener.timeout(30_000);
                assertEquals(32_000, listener.readBytes(32_000).length);

                ffmpeg.close();
                origin.close();
                Eventually.await(Duration.ofSeconds(5), "the relay notices",
                        () -> relayLog.stream().anyMatch(line -> line.contains("listeners wait up to 20 s")));
                drain(listener.input(), Duration.ofMillis(500)); // what was already on its way
                origin = TestServer.start(sub("origin"), null, originPort);
                ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live");
                Sources.awaitMount(origin, "/live", ffmpeg);

                byte[] after = listener.readBytes(64_000);
                assertEquals(64_000, after.length, "audio again on the same connection");
                assertTrue(mp3Frames(after) > 20, "and it is MP3");
                assertTrue(relayLog.stream().anyMatch(line -> line.contains("the upstream is back")), relayLog.toString());
            }
        } finally {
            ffmpeg.close();
            origin.close();
        }
    }

    @Test
    void afterTheGracePeriodListenersMoveToTheFallback() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), null)) {
            ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live");
            try (ffmpeg;
                 TestServer edge = TestServer.start(sub("edge"), "{\"mounts\": {\"/r\": {\"fallback\": \"/backup\"}},"
                         + " \"relays\": [{\"url\": \"" + origin.url("/live") + "\", \"mount\": \"/r\","
                         + " \"grace_seconds\": 2}]}");
                 RawSource backup = new RawSource(edge, "/backup", (byte) 3)) {
                Sources.awaitMount(origin, "/live", ffmpeg);
                Eventually.await(Duration.ofSeconds(10), "/r on the edge", () -> edge.statusJson().contains("/r\""));
                try (RawClient listener = RawClient.listen(edge, "/r", "mover/1.0")) {
                    assertTrue(mp3Frames(listener.readBytes(16_000)) > 5);
                    ffmpeg.close(); // the origin's mount ends: the relay's upstream is gone, and stays gone
                    long gone = System.nanoTime();
                    listener.awaitRun((byte) 3, 4_000);
                    long waited = (System.nanoTime() - gone) / 1_000_000;
                    assertTrue(waited >= 1_500, "listeners waited for the grace period first: " + waited + " ms");
                }
                Eventually.await(Duration.ofSeconds(5), "/r gone", () -> !edge.statusJson().contains("/r\""));
            }
        }
    }

    @Test
    void aReloadStartsNewRelaysAndLeavesTheOthersStreaming() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), null);
             ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live")) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            String a = "{\"url\": \"" + origin.url("/live") + "\", \"mount\": \"/a\"}";
            String b = "{\"url\": \"" + origin.url("/live") + "\", \"mount\": \"/b\"}";
            Path edgeDir = sub("edge");
            try (TestServer edge = TestServer.start(edgeDir, relaysJson(a))) {
                Eventually.await(Duration.ofSeconds(10), "/a", () -> edge.statusJson().contains("/a\""));
                String startA = streamStart(edge.statusJson(), "/a");
                try (RawClient listener = RawClient.listen(edge, "/a", "steady/1.0")) {
                    listener.readBytes(16_000);
                    String file = Files.readString(edgeDir.resolve("tinyice.json"));
                    Files.writeString(edgeDir.resolve("tinyice.json"),
                            file.replace("\"relays\": [", "\"relays\": [\n    " + b + ","));
                    assertTrue(edge.reload(), "reloaded");
                    Eventually.await(Duration.ofSeconds(10), "/b", () -> edge.statusJson().contains("/b\""));
                    assertEquals(startA, streamStart(edge.statusJson(), "/a"), "/a was not restarted");
                    assertEquals(32_000, listener.readBytes(32_000).length, "its listener goes on");

                    file = Files.readString(edgeDir.resolve("tinyice.json"));
                    Files.writeString(edgeDir.resolve("tinyice.json"), Pattern.compile("\"relays\": \\[.*?\\]",
                            Pattern.DOTALL).matcher(file).replaceFirst(Matcher.quoteReplacement("\"relays\": [" + b + "]")));
                    assertTrue(edge.reload());
                    Eventually.await(Duration.ofSeconds(10), "/a stopped", () -> !edge.statusJson().contains("/a\""));
                    assertTrue(edge.statusJson().contains("/b\""));
                }
            }
        }
    }

    @Test
    void anOnDemandRelayConnectsForItsFirstListenerAndLetsGoAfterTheLastLeaves() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), null);
             ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live")) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            try (TestServer edge = TestServer.start(sub("edge"), relaysJson("{\"url\": \"" + origin.url("/live")
                    + "\", \"mount\": \"/od\", \"on_demand\": true, \"on_demand_idle_seconds\": 2}"))) {
                Thread.sleep(1_500);
                assertTrue(!edge.statusJson().contains("/od\""), "not connected without listeners");
                assertTrue(origin.statusJson().contains("\"listeners\":0"), origin.statusJson());

                try (RawClient listener = RawClient.listen(edge, "/od", "first/1.0")) {
                    assertTrue(mp3Frames(listener.readBytes(32_000)) > 10, "the first listener hears the upstream");
                    assertTrue(origin.statusJson().contains("\"listeners\":1"), "the relay is the origin's listener");
                    try (RawClient second = RawClient.listen(edge, "/od", "second/1.0")) {
                        assertTrue(mp3Frames(second.readBytes(16_000)) > 5, "a second shares the connection");
                    }
                    assertTrue(origin.statusJson().contains("\"listeners\":1"), origin.statusJson());
                }
                Eventually.await(Duration.ofSeconds(8), "disconnected after the last listener left",
                        () -> !edge.statusJson().contains("/od\"")
                                && origin.statusJson().contains("\"listeners\":0"));
                try (RawClient again = RawClient.listen(edge, "/od", "again/1.0")) {
                    assertTrue(mp3Frames(again.readBytes(16_000)) > 5, "and connects again for the next");
                }
            }
        }
    }

    @Test
    void debianIcecastAsTheOriginPlaysAndCarriesItsTitle() throws Exception {
        try (DebianIcecast icecast = DebianIcecast.start(dir, "")) {
            int port = icecast.port();
            try (ExternalProcess ffmpeg = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error",
                    "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=600",
                    "-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-ice_name", "Icecast Origin",
                    "-f", "mp3", icecast.sourceUrl("/live")));
                 TestServer edge = TestServer.start(sub("edge"), relaysJson(
                         "{\"url\": \"http://127.0.0.1:" + port + "/live\"}"))) {
                Eventually.await(Duration.ofSeconds(20), "/live on the edge", () -> {
                    if (!ffmpeg.isAlive()) {
                        throw new Eventually.GiveUp("ffmpeg exited: " + ffmpeg.output());
                    }
                    return edge.statusJson().contains("/live\"");
                });
                assertTrue(edge.statusJson().contains("\"server_name\":\"Icecast Origin\""), edge.statusJson());
                try (RawClient admin = new RawClient(port)) {
                    admin.send("GET /admin/metadata?mount=/live&mode=updinfo&song=Icecast%20-%20Title HTTP/1.0\r\n"
                            + "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                                    "admin:hackme".getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
                    assertTrue(new String(admin.readToEnd(), StandardCharsets.UTF_8).contains("successful"));
                }
                Eventually.await(Duration.ofSeconds(10), "Icecast's title on the edge",
                        () -> edge.statusJson().contains("\"title\":\"Icecast - Title\""));
                try (RawClient listener = RawClient.listen(edge, "/live", "edge/1.0")) {
                    assertTrue(mp3Frames(listener.readBytes(64_000)) > 20, "it plays");
                }
            }
        }
    }

    @Test
    void upstreamsThatAreNotStreamsAreToldApartRetriedAndHarmNothingElse() throws Exception {
        List<Long> missingAttempts = new CopyOnWriteArrayList<>();
        Map<String, String> answers = new ConcurrentHashMap<>(Map.of(
                "/missing", "HTTP/1.0 404 File Not Found\r\nContent-Type: text/html\r\n\r\n<html>404</html>",
                "/secret", "HTTP/1.0 401 Authentication Required\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n",
                "/page", "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html>hello</html>",
                "/garbage", "\u0001\u0002\u0003garbage\u00ff\u00fe\r\n\r\n",
                "/loop", "HTTP/1.0 302 Found\r\nLocation: /loop\r\n\r\n"));
        String longTitle = "T".repeat(3_993) + " - 4000"; // 4,000 bytes: with StreamTitle=''; it nearly fills a block
        AtomicInteger upstreamsOpen = new AtomicInteger(); // the fake's side of the relays' connections in flight
        try (ServerSocket fake = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                while (!fake.isClosed()) {
                    try {
                        Socket s = fake.accept();
                        upstreamsOpen.incrementAndGet();
                        // each upstream on its own thread: the slow ones must not hold up the others
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                String request = readHead(s.getInputStream());
                                String path = request.split(" ", 3)[1];
                                OutputStream out = s.getOutputStream();
                                switch (path) {
                                    case "/icy-past" -> icyPastTheData(out);
                                    case "/long-title" -> icyTitled(out, longTitle);
                                    case "/trickle" -> trickle(out, "HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n", "\u00ff".repeat(60));
                                    case "/slow-head" -> trickle(out, "", "HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n");
                                    default -> {
                                        if (path.equals("/missing")) {
                                            missingAttempts.add(System.nanoTime());
                                        }
                                        out.write(answers.getOrDefault(path, "HTTP/1.0 500 Oops\r\n\r\n")
                                                .getBytes(StandardCharsets.ISO_8859_1));
                                        out.flush();
                                    }
                                }
                            } catch (IOException | RuntimeException | InterruptedException e) {
                                // the relay went away
                            } finally {
                                upstreamsOpen.decrementAndGet();
                            }
                        });
                    } catch (IOException e) {
                        // closed at the end
                    }
                }
            });
            String base = "http://127.0.0.1:" + fake.getLocalPort();
            List<String> bad = List.of("/missing", "/secret", "/page", "/garbage", "/refused", "/loop", "/icy-past",
                    "/trickle", "/slow-head");
            int socketsBefore = openDescriptors("socket:");
            try (TestServer edge = TestServer.start(sub("edge"), "{\"limits\": {\"source_timeout\": 2}, " + relaysJson(
                    "{\"url\": \"" + base + "/missing\"}", "{\"url\": \"" + base + "/secret\", \"username\": \"u\","
                            + " \"password\": \"upstream-pw-77\"}",
                    "{\"url\": \"" + base + "/page\"}", "{\"url\": \"" + base + "/garbage\"}",
                    "{\"url\": \"http://127.0.0.1:1/refused\"}", "{\"url\": \"" + base + "/loop\"}",
                    "{\"url\": \"" + base + "/icy-past\", \"grace_seconds\": 0}",
                    "{\"url\": \"" + base + "/trickle\", \"grace_seconds\": 0}",
                    "{\"url\": \"" + base + "/slow-head\"}", "{\"url\": \"" + base + "/long-title\"}").substring(1));
                 ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, edge, "/own")) {
                Map<String, String> errors = Map.of("/missing", "answered 404", "/secret", "answered 401",
                        "/page", "text/html; charset=utf-8, not audio", "/garbage", "not a stream answer",
                        "/refused", "cannot connect", "/loop", "more than 10 redirects",
                        "/icy-past", "ICY metadata is out of step", "/trickle", "too slow to be a stream",
                        "/slow-head", "head took longer than 2 s");
                Eventually.await(Duration.ofSeconds(20), "every bad upstream named in the log and its state", () ->
                        errors.entrySet().stream().allMatch(e -> logged(e.getKey(), e.getValue())
                                && lastError(edge, e.getKey()).contains(e.getValue())));
                Eventually.await(Duration.ofSeconds(10), "retried with backoff", () -> missingAttempts.size() >= 4);
                long firstGap = missingAttempts.get(1) - missingAttempts.get(0);
                long thirdGap = missingAttempts.get(3) - missingAttempts.get(2);
                assertTrue(thirdGap > firstGap, "the waits grow: " + firstGap / 1_000_000 + " ms, then "
                        + thirdGap / 1_000_000 + " ms");
                for (var relay : edge.relays()) {
                    if (bad.contains(relay.mount())) {
                        assertTrue(relay.state() != org.tinyice.application.port.in.RelayStatusQuery.RelayState.CONNECTED
                                || relay.mount().equals("/trickle") || relay.mount().equals("/icy-past"),
                                relay.mount() + " is not shown as connected: " + relay);
                    }
                }

                // a 4,000-byte title reaches the relay's state, status and the edge's own ICY listeners whole
                Eventually.await(Duration.ofSeconds(10), "the long title in the relay's state and status",
                        () -> edge.relays().stream().anyMatch(r -> r.mount().equals("/long-title")
                                && r.title().filter(longTitle::equals).isPresent())
                                && edge.statusJson().contains(longTitle));
                try (RawClient icyListener = new RawClient(edge.port())) {
                    String head = icyListener.send("GET /long-title HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n").readHead();
                    assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
                    IcyStream icy = IcyStream.read(icyListener.input(), 16_000, "no such title", Duration.ofSeconds(3));
                    assertTrue(icy.titles.stream().anyMatch(t -> t.startsWith("TTTT") && t.length() > 3_900),
                            "the edge's ICY listeners get the title: " + icy.titles.stream().map(String::length).toList());
                }

                String api = DashboardClient.apiGet(edge, "/api/relays").body();
                assertTrue(api.contains("\"mount\":\"/missing\"") && api.contains("\"last_error\":{\"what\":\"the upstream"
                        + " answered 404"), api);
                assertTrue(!api.contains("upstream-pw-77"), "the upstream's password is never shown");

                // every relay has failed and retried a few times by now; later attempts must not add up. Both ends
                // of a connection in flight are in this JVM, so those are set aside: what stays is the edge's own
                int socketsRunning = settledSockets(upstreamsOpen);
                int threadsRunning = platformThreads();
                int attempts = missingAttempts.size();
                Eventually.await(Duration.ofSeconds(20), "more attempts", () -> missingAttempts.size() >= attempts + 1);
                int socketsLater = settledSockets(upstreamsOpen);
                System.out.println("sockets besides those in flight while the relays retry: " + socketsRunning
                        + ", then " + socketsLater + "; platform threads " + threadsRunning + ", then "
                        + platformThreads());
                assertTrue(socketsLater <= socketsRunning + 2, "no socket leaks with each attempt: " + socketsRunning
                        + " -> " + socketsLater + " " + describeDescriptors());
                assertTrue(platformThreads() <= threadsRunning + 2, "no thread leaks with each attempt");
                assertEquals(10, relayThreads(), "one thread per relay");

                Sources.awaitMount(edge, "/own", ffmpeg);
                try (RawClient listener = RawClient.listen(edge, "/own", "unharmed/1.0")) {
                    assertTrue(mp3Frames(listener.readBytes(32_000)) > 10, "the rest of the server serves");
                }
                String status = edge.statusJson();
                for (String mount : List.of("/missing", "/secret", "/page", "/garbage", "/refused", "/loop", "/slow-head")) {
                    assertTrue(!status.contains(mount + "\""), mount + " is no mount: " + status);
                }
            }
            // the JDK's HTTP clients and the virtual threads' carriers stay, as they would without relays:
            // sockets and the relays' own threads are what must be gone
            Eventually.await(Duration.ofSeconds(10), "sockets and relay threads settle back once the edge stops",
                    () -> openDescriptors("socket:") <= socketsBefore && relayThreads() == 0);
            System.out.println("sockets: " + socketsBefore + " before the edge, " + openDescriptors("socket:")
                    + " after it stopped");
        }
    }

    private static String lastError(TestServer edge, String mount) {
        return edge.relays().stream().filter(r -> r.mount().equals(mount)).findFirst()
                .flatMap(org.tinyice.application.port.in.RelayStatusQuery.RelayStatus::lastError)
                .map(org.tinyice.application.port.in.RelayStatusQuery.RelayProblem::what).orElse("");
    }

    /** This JVM's open file descriptors whose target starts with {@code kind} ("socket:"; "" for all). */
    private static int openDescriptors(String kind) {
        int n = 0;
        for (java.io.File fd : java.util.Objects.requireNonNull(new java.io.File("/proc/self/fd").listFiles())) {
            try {
                if (Files.readSymbolicLink(fd.toPath()).toString().startsWith(kind)) {
                    n++;
                }
            } catch (IOException e) {
                // closed meanwhile
            }
        }
        return n;
    }

    /**
     * This JVM's sockets less both ends of the fake upstreams' connections in flight: the least of a few
     * looks, since a connection's two ends do not close at the same instant.
     */
    private static int settledSockets(AtomicInteger upstreamsOpen) throws InterruptedException {
        int least = Integer.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            least = Math.min(least, openDescriptors("socket:") - 2 * upstreamsOpen.get());
            Thread.sleep(50);
        }
        return least;
    }

    private static int platformThreads() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static String describeDescriptors() {
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (java.io.File fd : java.util.Objects.requireNonNull(new java.io.File("/proc/self/fd").listFiles())) {
            try {
                String target = Files.readSymbolicLink(fd.toPath()).toString().replaceAll("\\[\\d+\\]", "");
                if (!target.endsWith(".jar")) {
                    kinds.merge(target, 1, Integer::sum);
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return kinds.toString();
    }

    /** The relays' threads alive now: virtual threads, seen only in a thread dump. */
    private int relayThreads() {
        try {
            Path dump = dir.resolve("threads-" + System.nanoTime() + ".json");
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            int n = count(Files.readString(dump), "\"tinyice-relay-");
            Files.delete(dump);
            return n;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An ICY stream whose first length byte promises 4,080 bytes of metadata but 32 follow, then audio. */
    private static void icyPastTheData(OutputStream out) throws IOException {
        out.write("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\nicy-metaint: 1000\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[1000]);
        byte[] block = new byte[32];
        byte[] text = "StreamTitle='x';".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, block, 0, text.length);
        out.write(255);
        out.write(block);
        byte[] audio = new byte[8_000];
        java.util.Arrays.fill(audio, (byte) 0x55);
        out.write(audio);
        out.flush();
    }

    /** A steady ICY stream (about 16 KB/s) whose every block carries {@code title}, until the relay leaves. */
    private static void icyTitled(OutputStream out, String title) throws IOException, InterruptedException {
        out.write("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\nicy-metaint: 1000\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] text = ("StreamTitle='" + title + "';").getBytes(StandardCharsets.UTF_8);
        int length = (text.length + 15) / 16;
        byte[] block = new byte[length * 16];
        System.arraycopy(text, 0, block, 0, text.length);
        byte[] audio = new byte[1000];
        java.util.Arrays.fill(audio, (byte) 0x55);
        for (int i = 0; i < 3_000; i++) {
            out.write(audio);
            out.write(length);
            out.write(block);
            out.flush();
            Thread.sleep(60);
        }
    }

    /** {@code head} at once, then {@code slowly} one byte a second (an upstream on a dying line). */
    private static void trickle(OutputStream out, String head, String slowly)
            throws IOException, InterruptedException {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        for (byte b : slowly.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
            Thread.sleep(1_000);
        }
    }

    @Test
    void anUpstreamThatFallsSilentIsCutAtTheSourceTimeoutAndAskedAgain() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        held.add(s); // kept open: the upstream hangs, it does not hang up
                        readHead(s.getInputStream());
                        connections.incrementAndGet();
                        s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().write(new byte[4096]);
                        s.getOutputStream().flush();
                    } catch (IOException | RuntimeException e) {
                        // the next one
                    }
                }
            });
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/hung";
            try (TestServer edge = TestServer.start(sub("edge"),
                    "{\"limits\": {\"source_timeout\": 2}, \"relays\": [{\"url\": \"" + url + "\"}]}")) {
                Eventually.await(Duration.ofSeconds(10), "the silent upstream cut and asked again",
                        () -> logged("/hung", "sent nothing for 2 s") && connections.get() >= 2);
                assertEquals(200, edge.get("/status-json.xsl").statusCode());
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private boolean logged(String mount, String text) {
        return relayLog.stream().anyMatch(line -> line.contains("-> " + mount + ":") && line.contains(text));
    }

    // ---- helpers ----

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void drain(InputStream in, Duration quiet) throws IOException, InterruptedException {
        long until = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < until) {
            if (in.available() > 0) {
                in.skip(in.available());
            } else {
                Thread.sleep(20);
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    private static String streamStart(String status, String mount) {
        Matcher m = Pattern.compile("\"listenurl\":\"[^\"]*" + Pattern.quote(mount)
                + "\"[^}]*?\"stream_start_iso8601\":\"([^\"]+)\"").matcher(status);
        return m.find() ? m.group(1) : "none in " + status;
    }

    /** MPEG audio frame headers (11 sync bits, layer III, a valid bitrate and rate) in {@code audio}. */
    static int mp3Frames(byte[] audio) {
        int frames = 0;
        for (int i = 0; i + 3 < audio.length; i++) {
            int b1 = audio[i] & 0xFF;
            int b2 = audio[i + 1] & 0xFF;
            int b3 = audio[i + 2] & 0xFF;
            if (b1 == 0xFF && (b2 & 0xE6) == 0xE2 && (b3 >> 4) != 0 && (b3 >> 4) != 15 && ((b3 >> 2) & 3) != 3) {
                frames++;
            }
        }
        return frames;
    }

    /** An ICY listener's stream taken apart until a title shows up (or the time is up). */
    record IcyStream(byte[] audio, List<String> titles) {
        static IcyStream read(InputStream in, int metaint, String until, Duration limit) throws IOException {
            IcyDeinterleaver icy = new IcyDeinterleaver(metaint);
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            List<String> titles = new ArrayList<>();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + limit.toNanos();
            while (!titles.contains(until) && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                icy.accept(buffer, 0, n, audio::write, titles::add);
            }
            return new IcyStream(audio.toByteArray(), titles);
        }
    }
}
