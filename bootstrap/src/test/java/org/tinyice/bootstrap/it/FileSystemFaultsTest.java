package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults of a real file system while a station streams: a full disk (a size-limited tmpfs), a
 * database locked by another process, a configuration file made read-only with chmod, a deleted data
 * directory. Each time a listener keeps receiving audio, {@code /readyz} (and, for the disk, the
 * dashboard's live view) names the fault, the log says so once, the history written meanwhile is not
 * lost, and all clears by itself when the cause goes away.
 */
class FileSystemFaultsTest {

    private static final Duration BOUND = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path mounted;
    private ServerProcess server;
    private ExternalProcess source;
    private RawClient listener;

    @AfterEach
    void cleanUp() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (source != null) {
            source.close();
        }
        if (server != null) {
            server.close();
        }
        // a directory a test made read-only must not stop @TempDir from deleting it
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(Files::isDirectory).forEach(d -> d.toFile().setWritable(true, false));
        }
        if (mounted != null) {
            ExternalProcess.run(dir, 10, List.of("umount", "-l", mounted.toString()));
        }
    }

    @Test
    void aFullDiskKeepsTheStreamAndTheHistoryAndClearsByItself() throws Exception {
        Path disk = mountTmpfs(dir.resolve("disk"), "16m");
        Path data = disk.resolve("data");
        server = ServerProcess.start(disk.resolve("tinyice.json"), data, false);
        AtomicLong received = streamAndListen();
        setTitle("Before");
        awaitTitles(List.of("Before"));
        String session = logIn();

        Path filler = fill(disk);
        setTitle("During One");
        setTitle("During Two");
        try (RawClient leaving = new RawClient(server.port())) {
            leaving.send("GET /live HTTP/1.0\r\n\r\n").readHead();
            leaving.readBytes(1000); // its access log line is written when it goes, onto the full disk
        }
        HttpResponse<String> refused = dashboardPost(session, "/admin/mounts/disable?mount=/other");
        assertTrue(refused.statusCode() >= 400 && refused.body().contains("cannot be written"),
                refused.statusCode() + " " + refused.body());

        awaitReadyz(body -> body.startsWith("ready, degraded") && body.contains("history database fails")
                && body.contains("access log fails") && body.contains("configuration file fails"));
        assertTrue(liveEvent(session).contains("\"part\":\"history database\""), "the dashboard shows it");
        assertStreamGoesOn(received);
        Thread.sleep(3000); // many retries of the history, none logged again
        assertEquals(List.of("Before"), titles(), "not written while the disk is full");

        Files.delete(filler);
        awaitTitles(List.of("During Two", "During One", "Before"));
        try (RawClient leaving = new RawClient(server.port())) {
            leaving.send("GET /live HTTP/1.0\r\n\r\n").readHead();
            leaving.readBytes(1000);
        }
        awaitReadyz(body -> body.equals("ready\n"));
        assertEquals(200, dashboardPost(session, "/admin/mounts/disable?mount=/other").statusCode());
        assertStreamGoesOn(received);
        for (String part : List.of("history database", "access log", "configuration file")) {
            assertEquals(1, server.count(part + " fails"), part + " is logged once:\n" + server.output());
            assertEquals(1, server.count(part + " works again"), part + " recovery:\n" + server.output());
        }
    }

    @Test
    void aDatabaseLockedByAnotherProcessHoldsTheHistoryUntilItIsReleased() throws Exception {
        server = ServerProcess.start(dir.resolve("tinyice.json"), dir.resolve("data"), false);
        AtomicLong received = streamAndListen();
        setTitle("Before");
        awaitTitles(List.of("Before"));

        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/tinyice.db"));
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            setTitle("Locked One");
            setTitle("Locked Two");
            awaitReadyz(body -> body.contains("history database fails") && body.contains("SQLITE_BUSY"));
            assertStreamGoesOn(received);
            statement.execute("ROLLBACK");
        }
        awaitTitles(List.of("Locked Two", "Locked One", "Before"));
        awaitReadyz(body -> body.equals("ready\n"));
        assertEquals(1, server.count("history database fails"), server.output());
    }

    @Test
    void aReadOnlyConfigurationFileRefusesEditsUntilItIsWritableAgain() throws Exception {
        Path config = dir.resolve("tinyice.json");
        server = ServerProcess.start(config, dir.resolve("data"), true);
        AtomicLong received = streamAndListen();
        String session = logIn();

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("r--r--r--"));
        String before = Files.readString(config);
        HttpResponse<String> refused = dashboardPost(session, "/admin/mounts/disable?mount=/other");
        assertTrue(refused.statusCode() >= 400 && refused.body().contains("read-only"),
                refused.statusCode() + " " + refused.body());
        assertEquals(before, Files.readString(config), "a read-only file is not replaced");
        awaitReadyz(body -> body.contains("configuration file fails"));
        assertStreamGoesOn(received);

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        awaitReadyz(body -> body.equals("ready\n")); // found by the periodic check, with no edit needed
        assertEquals(200, dashboardPost(session, "/admin/mounts/disable?mount=/other").statusCode());
        assertEquals(1, server.count("configuration file fails"), server.output());
    }

    @Test
    void aDeletedDataDirectoryIsMadeAgainAndGetsTheHistoryWrittenMeanwhile() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("var"));
        Path data = parent.resolve("data");
        server = ServerProcess.start(dir.resolve("tinyice.json"), data, true);
        AtomicLong received = streamAndListen();
        setTitle("Before");
        awaitTitles(List.of("Before"));

        deleteTree(data);
        // while the directory cannot be made again the fault stays, and the titles wait
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
        setTitle("Meanwhile");
        awaitReadyz(body -> body.contains("history database fails") && body.contains("cannot be made again"));
        assertStreamGoesOn(received);

        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        awaitReadyz(body -> body.equals("ready\n"));
        assertTrue(Files.size(data.resolve("tinyice.db")) > 0, "a new database in the directory made again");
        awaitTitles(List.of("Meanwhile"));
        assertEquals(1, server.count("history database fails"), server.output());
    }

    // ---- the station ----

    /** A source on /live and a listener reading it without pause; returns the listener's byte count. */
    private AtomicLong streamAndListen() throws Exception {
        int port = server.port();
        source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", "sine=duration=600", "-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg",
                "-f", "mp3", new TestServer.Remote(port).icecastUrl("/live")));
        Eventually.await(Duration.ofSeconds(15), "/live is up", () -> {
            if (!source.isAlive()) {
                throw new Eventually.GiveUp(source.output());
            }
            return get("/status-json.xsl").body().contains("/live\"");
        });
        listener = new RawClient(port);
        String head = listener.send("GET /live HTTP/1.0\r\n\r\n").readHead();
        assertTrue(head.startsWith("HTTP/1.0 200"), head);
        AtomicLong received = new AtomicLong();
        InputStream in = listener.input();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.addAndGet(n);
                }
            } catch (IOException closed) {
                // the test ended
            }
        });
        return received;
    }

    private void assertStreamGoesOn(AtomicLong received) throws Exception {
        long before = received.get();
        Eventually.await(Duration.ofSeconds(10), "the listener receives more audio",
                () -> received.get() > before + 16_000);
        assertTrue(source.isAlive(), source.output());
    }

    private void setTitle(String title) throws Exception {
        String answer = new TestServer.Remote(server.port()).adminGet("/admin/metadata?mode=updinfo&mount=/live&song="
                + URLEncoder.encode(title, StandardCharsets.UTF_8));
        assertTrue(answer.contains("Metadata update successful"), answer);
        Thread.sleep(20); // distinct start times
    }

    private List<String> titles() throws Exception {
        String json = http.send(HttpRequest.newBuilder(uri("/api/history?mount=/live")).timeout(Duration.ofSeconds(20))
                .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"title\":\"([^\"]*)\"").matcher(json);
        return m.results().map(r -> r.group(1)).toList();
    }

    private void awaitTitles(List<String> expected) throws Exception {
        Eventually.await(BOUND, "the history lists " + expected, () -> titles().equals(expected));
    }

    private void awaitReadyz(java.util.function.Predicate<String> expected) throws Exception {
        String[] last = {""};
        try {
            Eventually.await(BOUND, "/readyz", () -> {
                HttpResponse<String> answer = get("/readyz");
                last[0] = answer.statusCode() + " " + answer.body();
                return answer.statusCode() == 200 && expected.test(answer.body());
            });
        } catch (AssertionError e) {
            throw new AssertionError("last /readyz: " + last[0] + "\nserver:\n" + server.output(), e);
        }
    }

    // ---- the dashboard ----

    private String logIn() throws Exception {
        HttpResponse<String> answer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(
                HttpRequest.newBuilder(uri("/admin/login")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("user=" + TestServer.ADMIN_USER + "&password="
                                + URLEncoder.encode(TestServer.ADMIN_PASSWORD, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private HttpResponse<String> dashboardPost(String cookie, String path) throws Exception {
        String session = http.send(HttpRequest.newBuilder(uri("/admin/session")).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("\"csrf_token\":\"([^\"]+)\"").matcher(session);
        assertTrue(csrf.find(), session);
        return http.send(HttpRequest.newBuilder(uri(path)).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf.group(1)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The first stats event of the dashboard's live view. */
    private String liveEvent(String cookie) throws Exception {
        HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(uri("/admin/events"))
                .header("Cookie", cookie).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("data:") && line.contains("\"faults\"")) {
                    return line;
                }
            }
        }
        return fail("no stats event");
    }

    // ---- the file system ----

    /** A tmpfs of {@code size} at {@code at}; fails (never skips) where it cannot be mounted. */
    private Path mountTmpfs(Path at, String size) throws Exception {
        Files.createDirectories(at);
        ExternalProcess.Result mount = ExternalProcess.run(dir, 10,
                List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()));
        if (mount.exitCode() != 0) {
            fail("this test needs to mount a size-limited tmpfs (run it as root, with CAP_SYS_ADMIN): mount said "
                    + mount.output());
        }
        mounted = at;
        return at;
    }

    /** Writes a file until the disk is full to the last page; returns it. */
    private static Path fill(Path disk) throws IOException {
        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size : new int[] {1 << 16, 1 << 12, 1}) {
                byte[] chunk = new byte[size];
                try {
                    while (true) {
                        out.write(chunk);
                        out.flush();
                    }
                } catch (IOException full) {
                    // next, smaller pieces into what is left
                }
            }
        } catch (IOException closingAFullFile) {
            // the file is as full as it gets
        }
        return filler;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    // ---- HTTP ----

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(
                (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
