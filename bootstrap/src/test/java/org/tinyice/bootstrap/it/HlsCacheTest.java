package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cache in front: Debian's nginx with {@code proxy_cache}, configured as docs/hls.md says.
 * Many HLS clients through it cost TinyIce about one request per segment and one per playlist
 * expiry, not one per client.
 */
class HlsCacheTest {

    static final int CLIENTS = 200;
    static final Duration RUN = Duration.ofSeconds(14);

    @TempDir
    Path dir;

    @Test
    void manyClientsThroughNginxCostTinyIceAboutOneRequestPerSegmentAndPlaylistRefresh() throws Exception {
        try (TestServer server = TestServer.start(dir, """
                {"hls": {"segment_seconds": 2, "window_seconds": 12}}
                """);
             ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/radio");
             NginxCache nginx = NginxCache.start(dir, server.port())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String[] last = {""};
            try {
                Eventually.await(Duration.ofSeconds(30), "a first segment through nginx", () -> {
                    HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(
                            URI.create(nginx.url("/radio/index.m3u8"))).build(), HttpResponse.BodyHandlers.ofString());
                    last[0] = playlist.statusCode() + " " + playlist.headers().map() + "\n" + playlist.body();
                    return playlist.statusCode() == 200 && playlist.body().contains(".mp3");
                });
            } catch (AssertionError e) {
                throw new AssertionError("last answer: " + last[0] + "\nnginx: " + nginx.errorLog(), e);
            }
            String before = server.get("/metrics").body();

            AtomicLong clientPlaylists = new AtomicLong();
            AtomicLong clientSegments = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            Set<String> segmentsSeen = ConcurrentHashMap.newKeySet();
            long end = System.nanoTime() + RUN.toNanos();
            List<Thread> players = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                players.add(Thread.ofVirtual().start(() -> play(http, nginx, end, clientPlaylists, clientSegments,
                        failures, segmentsSeen)));
            }
            for (Thread player : players) {
                player.join(RUN.plusSeconds(30).toMillis());
            }

            String after = server.get("/metrics").body();
            double upstreamPlaylists = metric(after, "tinyice_hls_playlist_requests_total")
                    - metric(before, "tinyice_hls_playlist_requests_total");
            double upstreamSegments = metric(after, "tinyice_hls_segment_requests_total")
                    - metric(before, "tinyice_hls_segment_requests_total");
            long clientRequests = clientPlaylists.get() + clientSegments.get();
            System.out.printf("HLS through nginx: %d clients for %d s made %d playlist and %d segment requests"
                            + " (%d segments); TinyIce answered %.0f playlist and %.0f segment requests:"
                            + " %.1f client requests per TinyIce request%n", CLIENTS, RUN.toSeconds(),
                    clientPlaylists.get(), clientSegments.get(), segmentsSeen.size(), upstreamPlaylists,
                    upstreamSegments, clientRequests / Math.max(1, upstreamPlaylists + upstreamSegments));

            assertEquals(0, failures.get(), "every request through nginx answered 200");
            assertTrue(clientSegments.get() >= (long) CLIENTS * 3, "every client fetched segments: " + clientSegments);
            // each segment once (a few twice, when a client asks as the cache entry is being filled)
            assertTrue(upstreamSegments <= 2 * segmentsSeen.size() + 2,
                    upstreamSegments + " segment requests reached TinyIce for " + segmentsSeen.size() + " segments");
            // the playlist is cached for one second (half a segment): about one refresh a second
            assertTrue(upstreamPlaylists <= 3 * RUN.toSeconds() + 5,
                    upstreamPlaylists + " playlist requests reached TinyIce in " + RUN.toSeconds() + " s");
            assertTrue(clientRequests >= 20 * (upstreamPlaylists + upstreamSegments),
                    "the cache carried the fan-out: " + clientRequests + " client requests");
            assertTrue(source.isAlive());
        }
    }

    /** One player: reloads the playlist every second (half the target duration) and fetches each new segment. */
    private static void play(HttpClient http, NginxCache nginx, long end, AtomicLong playlists, AtomicLong segments,
                             AtomicLong failures, Set<String> seen) {
        long last = -1;
        try {
            while (System.nanoTime() < end) {
                HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(
                                URI.create(nginx.url("/radio/index.m3u8"))).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                playlists.incrementAndGet();
                if (playlist.statusCode() != 200) {
                    failures.incrementAndGet();
                }
                List<String> names = HlsTest.segments(playlist.body());
                // like a player, start three segments from the live edge
                for (String name : names.subList(Math.max(0, names.size() - 3), names.size())) {
                    long sequence = Long.parseLong(name.substring(0, name.indexOf('.')));
                    if (sequence <= last) {
                        continue;
                    }
                    HttpResponse<byte[]> segment = http.send(HttpRequest.newBuilder(
                                    URI.create(nginx.url("/radio/" + name))).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    segments.incrementAndGet();
                    if (segment.statusCode() != 200 || segment.body().length < 1000) {
                        failures.incrementAndGet();
                    }
                    seen.add(name);
                    last = sequence;
                }
                Thread.sleep(1000);
            }
        } catch (Exception e) {
            failures.incrementAndGet();
        }
    }

    static double metric(String text, String name) {
        return ObservabilityTest.metric(text, name, "");
    }
}
