package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code icecast2} as an edge of a TinyIce origin: its {@code <relay>} pulls a TinyIce mount
 * (audio and titles), its slave mode ({@code <master-server>}) relays what TinyIce's
 * {@code /admin/streamlist.txt} lists, and that answer is the same, byte for byte, as a real Icecast's.
 */
class IcecastEdgeTest {

    private static final String RELAY_PASSWORD = "relay-secret";

    @TempDir
    Path dir;

    private Path sub(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void icecastRelaysATinyIceMountAndItsTitles() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"), null);
             ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, origin, "/live", "-ice_name", "TinyIce Origin")) {
            Sources.awaitMount(origin, "/live", ffmpeg);
            try (DebianIcecast icecast = DebianIcecast.start(dir, """
                    <relay><server>127.0.0.1</server><port>%d</port><mount>/live</mount><local-mount>/edge</local-mount>
                      <on-demand>0</on-demand><relay-shoutcast-metadata>1</relay-shoutcast-metadata></relay>
                    """.formatted(origin.port()))) {
                Eventually.await(Duration.ofSeconds(20), "/edge on icecast2", () -> icecast.statusJson().contains("/edge\""));
                assertTrue(icecast.statusJson().contains("\"server_name\":\"TinyIce Origin\""), icecast.statusJson());

                new TestServer.Remote(origin.port()).adminGet(
                        "/admin/metadata?mount=/live&mode=updinfo&song=Origin%20-%20On%20Icecast");
                Eventually.await(Duration.ofSeconds(10), "TinyIce's title in icecast2's status-json",
                        () -> icecast.statusJson().contains("\"title\":\"Origin - On Icecast\""));

                try (RawClient listener = new RawClient(icecast.port())) {
                    String head = listener.send("GET /edge HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n").readHead();
                    Matcher metaint = Pattern.compile("(?i)icy-metaint: ?(\\d+)").matcher(head);
                    assertTrue(head.startsWith("HTTP/1.0 200 OK") && metaint.find(), head);
                    RelayTest.IcyStream icy = RelayTest.IcyStream.read(listener.input(),
                            Integer.parseInt(metaint.group(1)), "Origin - On Icecast", Duration.ofSeconds(15));
                    assertTrue(icy.titles().contains("Origin - On Icecast"), "the title in icecast2's ICY stream: "
                            + icy.titles());
                }

                // a real decoder: ffmpeg decodes two seconds of icecast2's relay of the TinyIce mount
                ExternalProcess.Result decoded = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v",
                        "error", "-t", "2", "-i", icecast.url("/edge"), "-f", "null", "-"));
                assertEquals(0, decoded.exitCode(), decoded.output());
                ExternalProcess.Result probe = ExternalProcess.run(dir, 30, List.of("ffprobe", "-v", "error",
                        "-show_entries", "stream=codec_name,sample_rate", "-of", "compact", icecast.url("/edge")));
                assertTrue(probe.output().contains("codec_name=mp3"), probe.output());
            }
        }
    }

    @Test
    void icecastAsASlaveOfATinyIceMasterRelaysTheMountsItLists() throws Exception {
        try (TestServer origin = TestServer.start(sub("origin"),
                "{\"relay_password\": \"" + RELAY_PASSWORD + "\"}");
             ExternalProcess one = Encoders.ffmpegMp3(dir, origin, "/one")) {
            Sources.awaitMount(origin, "/one", one);
            try (DebianIcecast icecast = DebianIcecast.start(dir, """
                    <master-server>127.0.0.1</master-server><master-server-port>%d</master-server-port>
                    <master-update-interval>1</master-update-interval>
                    <master-username>relay</master-username><master-password>%s</master-password>
                    """.formatted(origin.port(), RELAY_PASSWORD))) {
                Eventually.await(Duration.ofSeconds(20), "/one on icecast2", () -> icecast.statusJson().contains("/one\""));
                try (ExternalProcess two = Encoders.ffmpegMp3(dir, origin, "/two")) {
                    Sources.awaitMount(origin, "/two", two);
                    Eventually.await(Duration.ofSeconds(20), "/two, started later, on icecast2",
                            () -> icecast.statusJson().contains("/two\""));
                }
                ExternalProcess.Result decoded = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v",
                        "error", "-t", "1", "-i", icecast.url("/one"), "-f", "null", "-"));
                assertEquals(0, decoded.exitCode(), decoded.output());
            }
        }
    }

    @Test
    void streamListTxtAnswersByteForByteAsIcecastDoes() throws Exception {
        try (DebianIcecast icecast = DebianIcecast.start(dir, "<mount><mount-name>/hidden</mount-name><hidden>1</hidden></mount>");
             TestServer tinyice = TestServer.start(sub("tinyice"), "{\"relay_password\": \"" + DebianIcecast.PASSWORD
                     + "\", \"mounts\": {\"/hidden\": {\"hidden\": true}}}");
             RawSource iceLive = new RawSource(icecast.port(), "/live", (byte) 1, DebianIcecast.PASSWORD);
             RawSource iceHidden = new RawSource(icecast.port(), "/hidden", (byte) 1, DebianIcecast.PASSWORD);
             RawSource tinyLive = new RawSource(tinyice, "/live", (byte) 1);
             RawSource tinyHidden = new RawSource(tinyice, "/hidden", (byte) 1)) {
            String admin = "GET /admin/listmounts HTTP/1.0\r\nAuthorization: Basic " + basic("admin:" + DebianIcecast.PASSWORD)
                    + "\r\n\r\n";
            Eventually.await(Duration.ofSeconds(10), "both mounts on icecast2 (the hidden one in listmounts only)",
                    () -> icecast.statusJson().contains("/live\"") && exchange(icecast.port(), admin).contains("/hidden"));
            String relay = basic(DebianIcecast.RELAY_USER + ":" + DebianIcecast.PASSWORD);
            String wrong = basic(DebianIcecast.RELAY_USER + ":wrong");
            // Icecast's slave asks with libcurl over HTTP/1.1; older tools with HTTP/1.0
            for (String request : List.of(
                    "GET /admin/streamlist.txt HTTP/1.0\r\nAuthorization: Basic " + relay + "\r\n\r\n",
                    "GET /admin/streamlist.txt HTTP/1.1\r\nHost: origin\r\nAuthorization: Basic " + relay
                            + "\r\nAccept: */*\r\n\r\n",
                    "GET /admin/streamlist.txt HTTP/1.0\r\nAuthorization: Basic " + wrong + "\r\n\r\n",
                    "GET /admin/streamlist.txt HTTP/1.0\r\n\r\n")) {
                String expected = comparable(exchange(icecast.port(), request));
                String actual = comparable(withoutKeptAdditions(exchange(tinyice.port(), request)));
                assertEquals(expected, actual, "TinyIce answers " + request.lines().findFirst().orElseThrow()
                        + " as icecast2 does");
            }
        }
    }

    private static String basic(String pair) {
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The answer with the two lines that must differ: when it was sent, and which server sent it. */
    private static String comparable(String answer) {
        return answer.replaceFirst("\r\nDate: [^\r\n]*", "\r\nDate: <now>")
                .replaceFirst("\r\nServer: [^\r\n]*", "\r\nServer: <server>");
    }

    /**
     * TinyIce's answer without the headers it adds to every answer on purpose (docs/relays.md): the
     * security headers (a browser must not run or sniff what an admin command answers) and
     * {@code Content-Length} (Icecast sends none and closes; the length lets an HTTP/1.1 client know the
     * list is complete). Neither changes what an Icecast slave reads: it takes the body line by line.
     */
    private static String withoutKeptAdditions(String answer) {
        return answer.replaceAll("\r\n(Access-Control-Allow-Origin|X-Content-Type-Options|Content-Security-Policy"
                + "|Content-Length): [^\r\n]*", "");
    }

    /** One request on a fresh connection; everything the server sends until it closes (or 3 s of quiet). */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(3_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                // a connection kept open: what came is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
