package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every MP3 and AAC mount as HLS: ffmpeg and ffprobe play the live playlist of a TinyIce fed by an
 * ffmpeg source. One-second segments and a six-second window keep the waits short.
 */
class HlsTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"hls": {"segment_seconds": 1, "window_seconds": 6},
                 "mounts": {"/main": {"fallback": "/backup"},
                            "/members": {"auth": {"type": "users", "users": {"u": "p"}}}}}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The segment names a playlist lists, oldest first. */
    static List<String> segments(String playlist) {
        List<String> names = new ArrayList<>();
        for (String line : playlist.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.trim());
            }
        }
        return names;
    }

    static long mediaSequence(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        assertTrue(m.find(), playlist);
        return Long.parseLong(m.group(1));
    }

    /** Waits until the mount's playlist lists at least {@code n} segments; returns it. */
    static String awaitSegments(String mount, int n) throws Exception {
        String[] playlist = {""};
        Eventually.await(Duration.ofSeconds(30), mount + " lists " + n + " segments", () -> {
            HttpResponse<byte[]> response = get(mount + "/index.m3u8");
            playlist[0] = text(response);
            return response.statusCode() == 200 && segments(playlist[0]).size() >= n;
        });
        return playlist[0];
    }

    /**
     * ffmpeg at {@code -v error} says nothing when every frame decodes. The one line it may print, the
     * null muxer's "non monotonically increasing dts" when its HLS demuxer reloads the live playlist, is
     * about its own timeline and not about the audio, so it is let through.
     */
    static void assertNoDecodeError(String output) {
        for (String line : output.split("\n")) {
            if (!line.isBlank() && !line.contains("non monotonically increasing dts")) {
                throw new AssertionError("ffmpeg reported: " + output);
            }
        }
    }

    @Test
    void ffmpegPlaysTheLivePlaylistAndTheTitleIsInTheId3Data() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/live")) {
            awaitSegments("/live", 1);
            ExternalProcess.Result title = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-u",
                    TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD,
                    server.url("/admin/metadata?mode=updinfo&mount=/live&song=Blue%20Hour%20%E2%80%93%20Owls")));
            assertEquals(0, title.exitCode(), title.output());
            String playlist = awaitSegments("/live", 4);
            assertTrue(playlist.startsWith("#EXTM3U\n"), playlist);
            assertTrue(playlist.contains("#EXT-X-TARGETDURATION:1\n"), playlist);
            assertTrue(playlist.contains("#EXT-X-PROGRAM-DATE-TIME:20"), playlist);
            assertTrue(segments(playlist).getFirst().matches("\\d+\\.mp3"), playlist);

            // ffmpeg's HLS demuxer follows the live playlist and decodes six seconds without an error
            ExternalProcess.Result decode = ExternalProcess.run(dir, 60, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-i", server.url("/live/index.m3u8"), "-t", "6", "-f", "null", "-"));
            assertEquals(0, decode.exitCode(), decode.output());
            assertNoDecodeError(decode.output());

            // the newest segment opens with the title, which ffprobe reads from its ID3 tag
            Eventually.await(Duration.ofSeconds(20), "a segment tagged with the title", () -> {
                String now = text(get("/live/index.m3u8"));
                for (String name : segments(now)) {
                    Path file = dir.resolve("segment-" + name);
                    Files.write(file, get("/live/" + name).body());
                    ExternalProcess.Result probe = ExternalProcess.run(dir, 30, List.of("ffprobe", "-v", "error",
                            "-show_entries", "format_tags=title", "-of", "default=nw=1", file.toString()));
                    if (probe.output().contains("TAG:title=Blue Hour – Owls")) {
                        return true;
                    }
                }
                return false;
            });
            assertTrue(source.isAlive(), "the source streamed on");
        }
    }

    @Test
    void theMediaSequenceAdvancesAndOldSegmentsLeaveTheWindow() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/sliding")) {
            String first = awaitSegments("/sliding", 1);
            // the newest: ffmpeg's -re sends in bursts under load, and the oldest may leave in one
            String oldest = segments(first).getLast();
            long sequence = mediaSequence(first) + segments(first).size() - 1;
            assertEquals(200, get("/sliding/" + oldest).statusCode());
            Eventually.await(Duration.ofSeconds(30), "the first segment leaves the window", () -> {
                String now = text(get("/sliding/index.m3u8"));
                return mediaSequence(now) > sequence && !segments(now).contains(oldest);
            });
            HttpResponse<byte[]> gone = get("/sliding/" + oldest);
            assertEquals(404, gone.statusCode());
            assertTrue(text(gone).contains("is not in the window of /sliding"), text(gone));
            String full = text(get("/sliding/index.m3u8"));
            assertTrue(segments(full).size() <= 7, "a six-second window of one-second segments: " + full);
            // the alias lists the same segments, named from its own place
            String alias = text(get("/sliding.m3u8"));
            assertTrue(segments(alias).getFirst().startsWith("sliding/"), alias);
        }
    }

    @Test
    void conditionalGetsAreAnsweredNotModifiedAndCachingHeadersAreSet() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/cached")) {
            awaitSegments("/cached", 2);
            HttpResponse<byte[]> playlist = get("/cached/index.m3u8");
            assertEquals("application/vnd.apple.mpegurl", playlist.headers().firstValue("Content-Type").orElse(""));
            assertEquals("public, max-age=1", playlist.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("*", playlist.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            String etag = playlist.headers().firstValue("ETag").orElseThrow();
            String name = segments(text(playlist)).getFirst();
            HttpResponse<byte[]> segment = get("/cached/" + name);
            assertEquals(200, segment.statusCode());
            assertEquals("audio/mpeg", segment.headers().firstValue("Content-Type").orElse(""));
            assertTrue(segment.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
            String segmentTag = segment.headers().firstValue("ETag").orElseThrow();
            String modified = segment.headers().firstValue("Last-Modified").orElseThrow();

            HttpResponse<byte[]> again = get("/cached/" + name, "If-None-Match", segmentTag);
            assertEquals(304, again.statusCode());
            assertEquals(0, again.body().length);
            assertEquals(304, get("/cached/" + name, "If-Modified-Since", modified).statusCode());
            // the playlist is the same until the next segment: within the same second it answers 304
            HttpResponse<byte[]> playlistAgain = get("/cached/index.m3u8", "If-None-Match", etag);
            assertTrue(playlistAgain.statusCode() == 304
                    || !playlistAgain.headers().firstValue("ETag").orElseThrow().equals(etag),
                    "304, or a new playlist with a new ETag");
            Eventually.await(Duration.ofSeconds(10), "a new segment changes the playlist's ETag",
                    () -> get("/cached/index.m3u8", "If-None-Match", etag).statusCode() == 200);

            // this client is one HLS session beside the mount's (zero) listeners, in /metrics
            Eventually.await(Duration.ofSeconds(10), "the session is counted", () -> {
                String metrics = server.get("/metrics").body();
                return ObservabilityTest.metric(metrics, "tinyice_mount_hls_sessions", "mount=\"/cached\"") == 1
                        && ObservabilityTest.metric(metrics, "tinyice_mount_listeners", "mount=\"/cached\"") == 0;
            });
        }
    }

    @Test
    void aKeptAliveHlsConnectionServesTheNextSegmentAndThenAPageRequest() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/alive")) {
            String name = segments(awaitSegments("/alive", 1)).getLast();
            try (RawClient browser = new RawClient(server.port())) {
                String head = browser.send("GET /alive/index.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n") && head.contains("Connection: Keep-Alive"), head);
                browser.readBytes(contentLength(head));
                head = browser.send("GET /alive/" + name + " HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
                browser.readBytes(contentLength(head));
                // a browser reuses the connection for anything on the same origin: the page's API goes to routing
                head = browser.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
            }
        }
    }

    static int contentLength(String head) {
        Matcher m = Pattern.compile("(?i)Content-Length: (\\d+)").matcher(head);
        assertTrue(m.find(), head);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void anAacMountIsOfferedWithAdtsSegments() throws Exception {
        try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=600", "-c:a", "aac",
                "-b:a", "96k", "-content_type", "audio/aac", "-f", "adts", server.icecastUrl("/aac")))) {
            String playlist = awaitSegments("/aac", 3);
            String name = segments(playlist).getFirst();
            assertTrue(name.endsWith(".aac"), playlist);
            assertEquals("audio/aac", get("/aac/" + name).headers().firstValue("Content-Type").orElse(""));
            ExternalProcess.Result decode = ExternalProcess.run(dir, 60, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-i", server.url("/aac/index.m3u8"), "-t", "3", "-f", "null", "-"));
            assertEquals(0, decode.exitCode(), decode.output());
            assertNoDecodeError(decode.output());
            assertTrue(source.isAlive());
        }
    }

    @Test
    void badHlsRequestsGetClearAnswersAndTheStreamGoesOn() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/solid");
             ExternalProcess opus = Encoders.ffmpegOpus(dir, server, "/opus")) {
            awaitSegments("/solid", 1);
            assertEquals(400, get("/solid/-1.mp3").statusCode(), "negative");
            assertEquals(400, get("/solid/abc.mp3").statusCode(), "not a number");
            assertEquals(404, get("/solid/123456789012345678901234567890.mp3").statusCode(), "huge");
            assertEquals(404, get("/solid/5.mp3").statusCode(), "long out of the window");
            assertEquals(404, get("/solid/" + (Long.MAX_VALUE) + ".mp3").statusCode(), "not yet made");
            String name = segments(text(get("/solid/index.m3u8"))).getFirst();
            assertEquals(404, get("/solid/" + name.replace(".mp3", ".aac")).statusCode(), "wrong codec");
            HttpResponse<byte[]> none = get("/nobody/index.m3u8");
            assertEquals(404, none.statusCode());
            assertTrue(text(none).contains("no source streams on /nobody"), text(none));
            Eventually.await(Duration.ofSeconds(20), "the Opus mount is live",
                    () -> server.statusJson().contains("/opus"));
            HttpResponse<byte[]> ogg = get("/opus/index.m3u8");
            assertEquals(404, ogg.statusCode());
            assertTrue(text(ogg).contains("HLS is offered for MP3 and AAC mounts only"), text(ogg));
            try (RawClient traversal = new RawClient(server.port())) {
                String head = traversal.send("GET /solid/../../etc/passwd.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .readHead();
                assertTrue(head.startsWith("HTTP/1.0 400"), head);
            }
            try (RawClient encoded = new RawClient(server.port())) {
                String head = encoded.send("GET /solid/%2e%2e/1.mp3 HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 400"), head);
            }
            // a mount whose listeners log in keeps its audio behind the login
            try (ExternalProcess members = Encoders.ffmpegMp3(dir, server, "/members")) {
                Eventually.await(Duration.ofSeconds(20), "the members' mount is live",
                        () -> server.statusJson().contains("/members"));
                HttpResponse<byte[]> guarded = get("/members/index.m3u8");
                assertEquals(404, guarded.statusCode());
                assertTrue(text(guarded).contains("needs listener authentication"), text(guarded));
                assertEquals(404, get("/members/" + name).statusCode());
            }
            // a path like a file under no mount stays Icecast's 404, as before HLS
            assertEquals(404, get("/music/song.mp3").statusCode());
            assertTrue(source.isAlive() && opus.isAlive(), "both sources streamed on");
            assertEquals(200, get("/solid/index.m3u8").statusCode());
        }
    }

    @Test
    void aFallbackMoveContinuesThePlaylistWithADiscontinuity() throws Exception {
        try (ExternalProcess backup = Encoders.ffmpegMp3(dir, server, "/backup")) {
            ExternalProcess main = Encoders.ffmpegMp3(dir, server, "/main");
            long before;
            try (main) {
                before = mediaSequence(awaitSegments("/main", 2));
                assertFalse(text(get("/main/index.m3u8")).contains("#EXT-X-DISCONTINUITY"));
            }
            // the source left: /main's playlist goes on with /backup's audio, after a discontinuity
            Eventually.await(Duration.ofSeconds(20), "a discontinuity, then more segments", () -> {
                HttpResponse<byte[]> now = get("/main/index.m3u8");
                if (now.statusCode() != 200) {
                    throw new Eventually.GiveUp("/main's playlist ended with its source: " + text(now));
                }
                String playlist = text(now);
                int at = playlist.indexOf("#EXT-X-DISCONTINUITY\n");
                return at > 0 && segments(playlist.substring(at)).size() >= 2 && mediaSequence(playlist) >= before;
            });
            ExternalProcess.Result decode = ExternalProcess.run(dir, 60, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-i", server.url("/main/index.m3u8"), "-t", "2", "-f", "null", "-"));
            assertEquals(0, decode.exitCode(), decode.output());
            assertTrue(backup.isAlive());
        }
    }

    @Test
    void hlsStopsWhenTheSourceLeaves() throws Exception {
        ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/leaving");
        try (source) {
            awaitSegments("/leaving", 1);
        }
        Eventually.await(Duration.ofSeconds(20), "the playlist is gone with the source",
                () -> get("/leaving/index.m3u8").statusCode() == 404);
        assertFalse(text(get("/leaving/index.m3u8")).contains("#EXTM3U"));
    }
}
