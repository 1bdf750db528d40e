package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.domain.stream.Mp3Frames;

/**
 * A fallback that is a file: {@code /main} falls back to {@code /loop.mp3}, a 2-second 64 kbit/s MP3
 * in the data directory, which TinyIce then plays in a loop at its own pace.
 */
class FileFallbackTest {

    /** 64 kbit/s. */
    private static final double BYTES_PER_SECOND = 8000;

    @TempDir
    static Path dir;
    static TestServer server;
    static byte[] loop;

    @BeforeAll
    static void start() throws Exception {
        Path file = dir.resolve("loop.mp3");
        ExternalProcess.Result made = ExternalProcess.run(dir, 60, List.of("ffmpeg", "-nostdin", "-loglevel", "error",
                "-y", "-f", "lavfi", "-i", "sine=frequency=523:sample_rate=44100:duration=2",
                "-c:a", "libmp3lame", "-b:a", "64k", file.toString()));
        if (made.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not make the file: " + made.output());
        }
        loop = Files.readAllBytes(file);
        server = TestServer.start(dir, """
                {"mounts": {
                  "/main": {"fallback": "/loop.mp3", "fallback_override": true}
                }}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listenersKeepTheirConnectionAndHearTheFileInRealTimeUntilTheSourceReturns() throws Exception {
        RawSource main = new RawSource(server, "/main", (byte) 0x0A);
        try (RawClient faithful = RawClient.listen(server, "/main", "Faithful/1.0")) {
            faithful.awaitRun((byte) 0x0A, 3000);

            main.close();

            // same connection, now the file: whole frames of it, at its own 8,000 bytes a second
            byte[] first = awaitFrames(faithful, 8);
            assertFramesOfTheFile(first);
            Rate rate = measure(faithful, 4_000);
            System.out.printf("file fallback: %d bytes in %.2f s = %.0f B/s%n", rate.bytes(), rate.seconds(),
                    rate.perSecond());
            assertTrue(rate.perSecond() > 5_000 && rate.perSecond() < 12_000,
                    "about " + BYTES_PER_SECOND + " bytes a second, not " + rate.perSecond());
            assertTrue(server.statusJson().contains("/loop.mp3"), "the file mount is in status");

            try (RawClient late = new RawClient(server.port())) {
                String head = late.send("GET /main HTTP/1.0\r\nUser-Agent: Late/1.0\r\n\r\n").readHead();
                assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
                assertTrue(head.contains("Content-Type: audio/mpeg"), head);
                assertFramesOfTheFile(awaitFrames(late, 8)); // arriving while /main is down

                try (RawSource back = new RawSource(server, "/main", (byte) 0x0C)) {
                    faithful.awaitRun((byte) 0x0C, 3000); // fallback_override: home again
                    late.awaitRun((byte) 0x0C, 3000);
                }
            }
        } finally {
            main.close();
        }
    }

    @Test
    void aSourceOnTheFilesOwnPathTakesItOverWithoutDroppingItsListeners() throws Exception {
        try (RawClient listener = RawClient.listen(server, "/loop.mp3", "Direct/1.0")) {
            assertFramesOfTheFile(awaitFrames(listener, 4));

            try (RawSource live = new RawSource(server, "/loop.mp3", (byte) 0x0D)) {
                listener.awaitRun((byte) 0x0D, 3000);
            }
        }
    }

    /** Reads until an MP3 frame header, then {@code count} whole frames from there. */
    private static byte[] awaitFrames(RawClient client, int count) throws IOException {
        client.timeout(10_000);
        InputStream in = client.input();
        int previous = in.read();
        for (int skipped = 0; skipped < 1_000_000; skipped++) {
            int b = in.read();
            if (b < 0 || previous < 0) {
                throw new AssertionError("the stream ended");
            }
            if (previous == 0xFF && (b & 0xE0) == 0xE0) {
                ByteArrayOutputStream frames = new ByteArrayOutputStream();
                byte[] header = {(byte) previous, (byte) b, 0, 0};
                header[2] = (byte) in.read();
                header[3] = (byte) in.read();
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        header = java.util.Arrays.copyOf(in.readNBytes(4), 4);
                    }
                    Optional<Mp3Frames.Frame> frame = Mp3Frames.header(header, 0);
                    if (frame.isEmpty()) {
                        if (i == 0) {
                            break; // 0xFFE inside a frame: keep looking
                        }
                        throw new AssertionError("frame " + i + " does not follow the one before");
                    }
                    frames.writeBytes(header);
                    frames.writeBytes(in.readNBytes(frame.get().length() - 4));
                }
                if (frames.size() > 0) {
                    return frames.toByteArray();
                }
            }
            previous = b;
        }
        throw new AssertionError("no MP3 frame in a megabyte");
    }

    /** Every frame is one of the file's, byte for byte. */
    private static void assertFramesOfTheFile(byte[] frames) {
        int at = 0;
        while (at < frames.length) {
            int length = Mp3Frames.header(frames, at).orElseThrow().length();
            assertTrue(indexOf(loop, frames, at, length) >= 0, "the frame at " + at + " is the file's");
            assertEquals(64_000, Mp3Frames.header(frames, at).orElseThrow().bitrate());
            at += length;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from, int length) {
        outer:
        for (int i = 0; i + length <= haystack.length; i++) {
            for (int j = 0; j < length; j++) {
                if (haystack[i + j] != needle[from + j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private record Rate(long bytes, double seconds) {
        double perSecond() {
            return bytes / seconds;
        }
    }

    /** Bytes received in a window of {@code millis}. */
    private static Rate measure(RawClient client, long millis) throws IOException {
        client.timeout(500);
        byte[] buffer = new byte[65_536];
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        long bytes = 0;
        while (System.nanoTime() < end) {
            try {
                int read = client.input().read(buffer);
                if (read < 0) {
                    throw new AssertionError("the stream ended after " + bytes + " bytes");
                }
                bytes += read;
            } catch (SocketTimeoutException e) {
                // nothing for half a second: counted as silence
            }
        }
        return new Rate(bytes, (System.nanoTime() - start) / 1e9);
    }
}
