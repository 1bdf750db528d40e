package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SHOUTcast v1 encoders on a {@code "shoutcast"} port, spoken to with the bytes Icecast 2.4.4 was seen to
 * exchange (icecast-behavior.md 2.4; the {@code /admin.cgi} answers were captured from Icecast 2.4.4 too),
 * and listeners decoding what they sent with ffprobe.
 */
class ShoutcastSourceTest {

    private static final String OK2 = "OK2\r\nicy-caps:11\r\n\r\n";
    private static final String UPDATED = "<html><head><title>Admin request successful</title></head><body><p>Metadata"
            + " update successful</p></body></html>";

    @TempDir
    static Path dir;
    static TestServer server;
    static Path tone;
    static final List<String> log = new CopyOnWriteArrayList<>();
    static final Logger icecastLog = Logger.getLogger("org.tinyice.adapters.http.icecast");
    static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        icecastLog.addHandler(capture);
        server = TestServer.start(dir, config(""));
        tone = Encoders.mp3File(dir, 20);
    }

    /** Wrong passwords are part of several tests: the lockout (5 failures by default) must not end the others. */
    private static String config(String more) {
        return """
                {"limits": {"header_timeout": 2, "source_timeout": 2}, "dashboard": {"max_failed_logins": 100},
                 "mounts": {"/own": {"password": "own-pass"}},
                 "shoutcast": [{"port": 0, "mount": "/sc"}, {"port": 0, "mount": "/own"}%s]}
                """.formatted(more);
    }

    @AfterAll
    static void stop() {
        icecastLog.removeHandler(capture);
        server.close();
    }

    @AfterEach
    void clearLog() {
        log.clear();
    }

    @Test
    void theRightPasswordGetsIcecastsOk2AndTheStreamPlaysOnTheMountWithItsIcyHeaders() throws Exception {
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/sc"))) {
            assertEquals(OK2, encoder.login(TestServer.SOURCE_PASSWORD));
            encoder.headers("icy-name:SC Name", "icy-genre:SC Genre", "icy-url:http://sc.example", "icy-pub:1",
                    "icy-br:128", "content-type:audio/mpeg").stream(tone);
            Eventually.await(Duration.ofSeconds(10), "/sc in status", () -> server.statusJson().contains("/sc\""));
            String status = server.statusJson();
            assertTrue(status.contains("\"server_name\":\"SC Name\""), status);
            assertTrue(status.contains("\"genre\":\"SC Genre\""), status);
            assertTrue(status.contains("\"server_url\":\"http://sc.example\""), status);
            assertTrue(status.contains("\"bitrate\":128"), status);
            try (RawClient listener = RawClient.listen(server, "/sc", "SC-Test/1.0")) {
                listener.close();
            }
            String head = new RawClient(server.port()).send("GET /sc HTTP/1.0\r\n\r\n").readHead();
            assertTrue(head.contains("icy-name:SC Name\r\n") && head.contains("icy-genre:SC Genre\r\n")
                    && head.contains("icy-url:http://sc.example\r\n") && head.contains("icy-pub:1\r\n")
                    && head.contains("icy-br:128\r\n") && head.contains("Content-Type: audio/mpeg\r\n"), head);
            assertDecodesAsMp3("/sc");
        }
        Eventually.await(Duration.ofSeconds(10), "/sc gone when its encoder leaves",
                () -> !server.statusJson().contains("/sc\""));
    }

    @Test
    void anEncoderThatGoesSilentIsDroppedAfterTheSourceTimeoutLikeAnyOther() throws Exception {
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/sc"))) {
            assertEquals(OK2, encoder.login(TestServer.SOURCE_PASSWORD));
            encoder.headers("icy-name:Silent", "content-type:audio/mpeg");
            encoder.socket().send(Files.readAllBytes(tone));
            Eventually.await(Duration.ofSeconds(10), "/sc in status", () -> server.statusJson().contains("/sc\""));
            assertTrue(encoder.socket().closedByServer(), "closed after limits.source_timeout");
            assertFalse(server.statusJson().contains("/sc\""));
        }
    }

    @Test
    void aWrongPasswordIsClosedWithoutAWordAndLogged() throws Exception {
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/sc"))) {
            assertEquals("", encoder.login("not-the-password"));
        }
        assertFalse(server.statusJson().contains("/sc\""));
        assertLogged("refused a SHOUTcast source for /sc from 127.0.0.1: wrong password");
    }

    @Test
    void failedPasswordsCountTowardsTheLockoutEveryLoginShares() throws Exception {
        Path lockoutDir = Files.createDirectories(dir.resolve("lockout"));
        try (TestServer strict = TestServer.start(lockoutDir,
                "{\"dashboard\": {\"max_failed_logins\": 3}, \"shoutcast\": {\"port\": 0, \"mount\": \"/sc\"}}")) {
            int port = strict.shoutcastPort("/sc");
            for (int i = 0; i < 3; i++) {
                try (ShoutcastEncoder guess = new ShoutcastEncoder(port)) {
                    assertEquals("", guess.login("guess-" + i));
                }
            }
            try (ShoutcastEncoder rightButLocked = new ShoutcastEncoder(port)) {
                assertEquals("", rightButLocked.login(TestServer.SOURCE_PASSWORD), "locked out: refused like a wrong one");
            }
            assertLogged("refused a SHOUTcast source for /sc from 127.0.0.1: too many failed logins");
        }
    }

    @Test
    void aMountWithItsOwnPasswordTakesThatOneNotTheGlobalOne() throws Exception {
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/own"))) {
            assertEquals("", encoder.login(TestServer.SOURCE_PASSWORD));
        }
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/own"))) {
            assertEquals(OK2, encoder.login("own-pass"));
            encoder.headers("icy-name:Own", "content-type:audio/mpeg").stream(tone);
            Eventually.await(Duration.ofSeconds(10), "/own in status", () -> server.statusJson().contains("/own\""));
        }
    }

    @Test
    void aSecondEncoderForABusyMountGetsIcecastsMountpointInUseAfterOk2() throws Exception {
        try (ShoutcastEncoder first = new ShoutcastEncoder(server.shoutcastPort("/sc"));
             ShoutcastEncoder second = new ShoutcastEncoder(server.shoutcastPort("/sc"))) {
            assertEquals(OK2, first.login(TestServer.SOURCE_PASSWORD));
            first.headers("icy-name:First").stream(tone);
            Eventually.await(Duration.ofSeconds(10), "/sc in status", () -> server.statusJson().contains("/sc\""));
            assertEquals(OK2, second.login(TestServer.SOURCE_PASSWORD));
            second.headers("icy-name:Second");
            String refusal = second.rest();
            assertTrue(refusal.startsWith("HTTP/1.0 403 Forbidden\r\n") && refusal.endsWith("\r\n\r\nMountpoint in use"),
                    refusal);
            assertTrue(server.statusJson().contains("\"server_name\":\"First\""));
            assertLogged("refused a source for /sc from 127.0.0.1: the mount already has a source");
        }
    }

    @Test
    void adminCgiSetsTheTitleOnTheMainPortAndOnTheShoutcastPortWithIcecastsAnswers() throws Exception {
        assertAnswer(server.port(), "/admin.cgi?pass=" + TestServer.SOURCE_PASSWORD + "&mode=updinfo&song=x",
                "HTTP/1.0 400 Bad Request", "<b>400 - Source does not exist</b>");
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/sc"))) {
            assertEquals(OK2, encoder.login(TestServer.SOURCE_PASSWORD));
            encoder.headers("icy-name:Titles", "content-type:audio/mpeg").stream(tone);
            Eventually.await(Duration.ofSeconds(10), "/sc in status", () -> server.statusJson().contains("/sc\""));

            String answer = get(server.port(), "/admin.cgi?pass=" + TestServer.SOURCE_PASSWORD
                    + "&mode=updinfo&song=Artist%20-%20Main%20Port");
            assertTrue(answer.startsWith("HTTP/1.0 200 OK\r\n") && answer.endsWith("\r\n\r\n" + UPDATED), answer);
            assertTrue(answer.contains("Content-Type: text/html; charset=utf-8\r\n"), answer);
            assertTrue(server.statusJson().contains("\"title\":\"Artist - Main Port\""), server.statusJson());

            answer = get(server.shoutcastPort("/sc"), "/admin.cgi?pass=" + TestServer.ADMIN_PASSWORD
                    + "&mode=updinfo&song=On%20The%20Source%20Port");
            assertTrue(answer.endsWith(UPDATED), answer);
            assertTrue(server.statusJson().contains("\"title\":\"On The Source Port\""), server.statusJson());

            assertAnswer(server.port(), "/admin.cgi?pass=wrong&mode=updinfo&song=x",
                    "HTTP/1.0 401 Authentication Required", "\r\n\r\nYou need to authenticate\r\n");
            assertAnswer(server.port(), "/admin.cgi?mode=updinfo&song=x",
                    "HTTP/1.0 400 Bad Request", "<b>400 - missing pass parameter</b>");
            assertAnswer(server.port(), "/admin.cgi?pass=" + TestServer.SOURCE_PASSWORD + "&mode=updinfo",
                    "HTTP/1.0 400 Bad Request", "<b>400 - Missing parameter</b>");
            assertAnswer(server.port(), "/admin.cgi?pass=" + TestServer.SOURCE_PASSWORD + "&mode=other&song=x",
                    "HTTP/1.0 400 Bad Request", "<b>400 - No such action</b>");
            assertTrue(server.statusJson().contains("\"title\":\"On The Source Port\""));
        }
    }

    @Test
    void badInputIsRefusedWithALogLineAndTheServerGoesOnServing() throws Exception {
        int port = server.shoutcastPort("/sc");
        try (RawClient silent = new RawClient(port);
             RawClient longPassword = new RawClient(port);
             RawClient endlessHeaders = new RawClient(port);
             RawClient garbage = new RawClient(port)) {
            longPassword.send("x".repeat(100 * 1024) + "\r\n");
            assertEquals(OK2, new String(endlessHeaders.send(TestServer.SOURCE_PASSWORD + "\r\n").readHead()
                    .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1));
            endlessHeaders.send("icy-name:Endless\r\n");
            assertEquals(OK2, garbage.send(TestServer.SOURCE_PASSWORD + "\r\n").readHead());
            garbage.send(new byte[] {0, (byte) 0xFF, 0x10, 'x', '\r', '\n', '\r', '\n'});

            assertTrue(longPassword.closedByServer(), "a 100 KB password line is closed");
            assertTrue(garbage.closedByServer(), "garbage after OK2 is closed");
            assertTrue(silent.closedByServer(), "a client that sends nothing is closed after header_timeout");
            assertTrue(endlessHeaders.closedByServer(), "headers that never end are closed after header_timeout");
        }
        assertLogged("refused a SHOUTcast source for /sc from 127.0.0.1: no line break within the first 4096 bytes");
        assertLogged("refused a SHOUTcast source for /sc from 127.0.0.1 after OK2: its header block is not icy-*");
        assertLogged("closed a SHOUTcast connection for /sc from 127.0.0.1: no password and headers within"
                + " limits.header_timeout (2 s)");
        assertFalse(server.statusJson().contains("/sc\""));
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(port)) {
            assertEquals(OK2, encoder.login(TestServer.SOURCE_PASSWORD));
            encoder.headers("icy-name:After", "content-type:audio/mpeg").stream(tone);
            Eventually.await(Duration.ofSeconds(10), "a good encoder after the bad ones",
                    () -> server.statusJson().contains("\"server_name\":\"After\""));
        }
    }

    @Test
    void reloadOpensANewShoutcastPortAndClosesARemovedOneWithItsEncoder() throws Exception {
        // the file as the server wrote it at start, with the passwords it hashed
        Path file = dir.resolve("tinyice.json");
        String asStarted = Files.readString(file);
        String own = "{\"port\": 0, \"mount\": \"/own\"}";
        assertTrue(asStarted.contains(own), asStarted);
        Files.writeString(file, asStarted.replace(own, own + ", {\"port\": 0, \"mount\": \"/added\"}"));
        assertTrue(server.reload());
        int added = server.shoutcastPort("/added");
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(added)) {
            assertEquals(OK2, encoder.login(TestServer.SOURCE_PASSWORD));
            encoder.headers("icy-name:Added", "content-type:audio/mpeg").stream(tone);
            Eventually.await(Duration.ofSeconds(10), "/added in status", () -> server.statusJson().contains("/added\""));
            int stays = server.shoutcastPort("/sc");
            Files.writeString(file, asStarted);
            assertTrue(server.reload());
            assertEquals(stays, server.shoutcastPort("/sc"), "an unchanged entry keeps its socket");
            assertThrows(ConnectException.class, () -> new RawClient(added).close());
            // a port taken out of the file takes its encoder with it, as a stopped server would
            assertTrue(encoder.socket().closedByServer(), "the removed port's encoder is disconnected");
            Eventually.await(Duration.ofSeconds(5), "/added gone", () -> !server.statusJson().contains("/added\""));
        }
    }

    @Test
    void aShoutcastPortInUseIsLoggedAndTheRestRunsOn() throws Exception {
        Path file = dir.resolve("tinyice.json");
        String asStarted = Files.readString(file);
        String own = "{\"port\": 0, \"mount\": \"/own\"}";
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(file, asStarted.replace(own, own + ", {\"port\": " + taken.getLocalPort()
                    + ", \"mount\": \"/busy\"}"));
            assertTrue(server.reload());
            assertThrows(AssertionError.class, () -> server.shoutcastPort("/busy"));
            assertLogged("SHOUTcast port " + taken.getLocalPort() + " for /busy could not be opened");
            try (ShoutcastEncoder encoder = new ShoutcastEncoder(server.shoutcastPort("/sc"))) {
                assertEquals(OK2, encoder.login(TestServer.SOURCE_PASSWORD));
            }
        } finally {
            Files.writeString(file, asStarted);
            assertTrue(server.reload());
        }
    }

    /**
     * liquidsoap's {@code output.shoutcast} as a station runs it: it connects to port + 1 of the port it is
     * given, and sends titles to {@code /admin.cgi} on that port itself; so here the entry leaves the port
     * out and TinyIce takes its own port + 1, the layout SHOUTcast and Icecast use.
     */
    @Test
    void liquidsoapsOutputShoutcastStreamsToPortPlusOneAndSetsTitlesThroughAdminCgi() throws Exception {
        Path liqDir = Files.createDirectories(dir.resolve("liquidsoap"));
        try (TestServer plusOne = TestServer.startWithShoutcastOnPortPlusOne(liqDir,
                "{\"shoutcast\": {\"mount\": \"/liq\"}}", "/liq")) {
            assertEquals(plusOne.port() + 1, plusOne.shoutcastPort("/liq"));
            Path script = liqDir.resolve("shoutcast.liq");
            Files.writeString(script, """
                    settings.init.allow_root.set(true)
                    settings.log.stdout.set(true)
                    settings.log.file.set(false)
                    s = single("annotate:title=\\"Liq Song\\",artist=\\"Liq Artist\\":%s")
                    output.shoutcast(%%mp3(bitrate=128), host="127.0.0.1", port=%d, password="%s",
                      name="Liq SC", genre="LiqGenre", url="http://liq.example", mksafe(s))
                    """.formatted(tone, plusOne.port(), TestServer.SOURCE_PASSWORD));
            try (ExternalProcess liquidsoap = ExternalProcess.start(liqDir, List.of("liquidsoap", script.toString()))) {
                Eventually.await(Duration.ofSeconds(30), "/liq live with liquidsoap's title (" + liquidsoap + ")", () -> {
                    if (!liquidsoap.isAlive()) {
                        throw new Eventually.GiveUp("liquidsoap exited: " + liquidsoap.output());
                    }
                    return plusOne.statusJson().contains("\"title\":\"Liq Artist - Liq Song\"");
                });
                String status = plusOne.statusJson();
                assertTrue(status.contains("\"server_name\":\"Liq SC\"") && status.contains("\"genre\":\"LiqGenre\"")
                        && status.contains("\"server_url\":\"http://liq.example\""), status);
                Players.assertRecordsMp3(liqDir, plusOne.url("/liq"), "liq.received");
                assertFalse(liquidsoap.output().contains("Connection failed"), liquidsoap.output());
            }
        }
    }

    private static void assertLogged(String start) throws Exception {
        Eventually.await(Duration.ofSeconds(5), "a log line starting \"" + start + "\" in " + log,
                () -> log.stream().anyMatch(line -> line.startsWith(start)));
    }

    private static void assertAnswer(int port, String target, String statusLine, String body) throws IOException {
        String answer = get(port, target);
        assertTrue(answer.startsWith(statusLine + "\r\n") && answer.contains(body), answer);
    }

    private static String get(int port, String target) throws IOException {
        try (RawClient client = new RawClient(port)) {
            return new String(client.send("GET " + target + " HTTP/1.0\r\n\r\n").readToEnd(),
                    StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertDecodesAsMp3(String mount) throws Exception {
        Players.assertRecordsMp3(dir, server.url(mount), mount.substring(1) + ".received");
    }
}
