package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.domain.stream.Mp3Frames;

/**
 * The bar of issue 15: an ffmpeg source and ICY listeners on one process, a second process takes over,
 * the first exits; the encoder never reconnects, every listener stays connected, and each one's bytes
 * are one continuous stream: the ICY blocks exactly every 16,000 audio bytes, the MP3 frames chained
 * without a break from the first to the last, the titles set before and after the update both heard.
 */
class TakeOverStreamsTest {

    private static final int METAINT = 16_000;

    @TempDir
    Path dir;

    @Test
    void listenersAndTheEncoderGoOnAcrossATakeOverWithoutALostOrRepeatedByte() throws Exception {
        ServerProcess old = ServerProcess.start(dir);
        int port = old.port();
        TestServer.Remote remote = new TestServer.Remote(port);
        List<Capture> listeners = new ArrayList<>();
        try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel",
                "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=600", "-c:a", "libmp3lame",
                "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3", remote.icecastUrl("/live")))) {
            TakeOverTest.awaitChannel(dir);
            awaitLive(source, remote, "/live");
            title(remote, "Before%20Update");
            for (int i = 0; i < 3; i++) {
                listeners.add(Capture.start(port, "/live", "take-over-listener-" + i));
            }
            Eventually.await(Duration.ofSeconds(15), "every listener hears the first title",
                    () -> listeners.stream().allMatch(l -> l.titles().contains("Before Update")));
            try (ServerProcess replacement = ServerProcess.start(dir, "--take-over")) {
                assertEquals(port, replacement.port());
                String took = replacement.awaitLine(0, "take-over: accepting on port");
                System.out.println(took);
                assertTrue(took.contains("1 mount(s) and 3 listener(s)"), replacement.output().toString());
                assertEquals(0, old.awaitExit(30), "the old process exits once it has handed everything over: "
                        + old.output());
                assertTrue(source.isAlive(), "the encoder did not have to reconnect: " + source.output());
                title(remote, "After%20Update");
                Eventually.await(Duration.ofSeconds(15), "every listener hears the title set on the new process",
                        () -> listeners.stream().allMatch(l -> l.titles().contains("After Update")));
                String status = remote.adminGet("/status-json.xsl");
                assertTrue(status.contains("/live\""), status);
                assertTrue(status.contains("\"listeners\":3"), status);
                assertTrue(status.contains("\"listener_peak\":3"), status);

                // and again: the source and listeners the first update continued move on to a third process
                try (ServerProcess third = ServerProcess.start(dir, "--take-over")) {
                    String tookAgain = third.awaitLine(0, "take-over: accepting on port");
                    System.out.println(tookAgain);
                    assertTrue(tookAgain.contains("1 mount(s) and 3 listener(s)"), third.output().toString());
                    assertEquals(0, replacement.awaitExit(30), replacement.output().toString());
                    assertTrue(source.isAlive(), "the encoder did not have to reconnect: " + source.output());
                    title(remote, "Second%20Update");
                    Eventually.await(Duration.ofSeconds(15), "every listener hears the title set on the third process",
                            () -> listeners.stream().allMatch(l -> l.titles().contains("Second Update")));
                    long before = listeners.getFirst().bytes();
                    Eventually.await(Duration.ofSeconds(10), "audio keeps coming", () -> listeners.getFirst().bytes()
                            > before + 32_000);
                    for (Capture listener : listeners) {
                        listener.stop();
                        assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                        Stream stream = Stream.parse(listener.captured());
                        assertEquals(List.of("Before Update", "After Update", "Second Update"), stream.titles,
                                "each title once, in order");
                        int frames = Mp3Chain.count(stream.audio);
                        // the capture spans both seams, and every frame from the first to the last chains
                        assertTrue(frames > 200, "continuous MP3 frames: " + frames);
                        System.out.println("take-over: longest gap between reads of a listener: "
                                + listener.longestGapMillis + " ms");
                    }
                    // each listener's access-log line is written once, by the process it ended in, with the
                    // request it made to the first one
                    Eventually.await(Duration.ofSeconds(15), "an access-log line for every listener", () ->
                            java.nio.file.Files.readString(dir.resolve("access.log")).lines()
                                    .filter(line -> line.contains("\"GET /live HTTP/1.0\" 200 ")
                                            && line.contains("take-over-listener-")).count() == 3);
                }
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
            old.close();
        }
    }

    @Test
    void aNewProcessThatDiesAfterTheStreamsWereSentGivesThemBackToTheOldOne() throws Exception {
        List<Capture> listeners = new ArrayList<>();
        try (ServerProcess old = ServerProcess.start(dir)) {
            int port = old.port();
            TestServer.Remote remote = new TestServer.Remote(port);
            try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel",
                    "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=600", "-c:a", "libmp3lame",
                    "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3", remote.icecastUrl("/live")))) {
                java.nio.file.Path channel = TakeOverTest.awaitChannel(dir);
                awaitLive(source, remote, "/live");
                title(remote, "Before%20Update");
                for (int i = 0; i < 2; i++) {
                    listeners.add(Capture.start(port, "/live", "take-back-listener-" + i));
                }
                Eventually.await(Duration.ofSeconds(15), "every listener hears the first title",
                        () -> listeners.stream().allMatch(l -> l.titles().contains("Before Update")));
                assertEquals(List.of("listening " + port, "server", "mount", "listeners", "end"),
                        takeEverythingAndDie(channel));
                old.awaitLine(0, "took back 1 source(s) and 2 listener(s); accepting again");
                assertTrue(source.isAlive(), "the encoder is still connected: " + source.output());
                title(remote, "Taken%20Back");
                Eventually.await(Duration.ofSeconds(15), "the listeners hear the old process again",
                        () -> listeners.stream().allMatch(l -> l.titles().contains("Taken Back")));
                for (Capture listener : listeners) {
                    listener.stop();
                    assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                    Stream stream = Stream.parse(listener.captured());
                    int frames = Mp3Chain.count(stream.audio); // throws at a broken frame
                    assertTrue(frames > 20, "continuous MP3 frames: " + frames);
                }
                try (ServerProcess replacement = ServerProcess.start(dir, "--take-over")) {
                    assertTrue(replacement.awaitLine(0, "take-over: accepting on port").contains("1 mount(s)"),
                            replacement.output().toString());
                    assertEquals(0, old.awaitExit(30), "a later take-over works: " + old.output());
                }
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
        }
    }

    @Test
    void anOggOpusEncoderAndItsListenersGoOnAcrossATakeOverWithEveryPageWhole() throws Exception {
        ServerProcess old = ServerProcess.start(dir);
        int port = old.port();
        TestServer.Remote remote = new TestServer.Remote(port);
        List<Capture> listeners = new ArrayList<>();
        try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=600", "-c:a", "libopus",
                "-b:a", "64k", "-content_type", "application/ogg", "-f", "ogg",
                // pages of 100 ms (ffmpeg's default is 1 s): many pages, so the take-over's seam falls inside one
                "-page_duration", "100000", remote.icecastUrl("/opus.ogg")))) {
            TakeOverTest.awaitChannel(dir);
            awaitLive(source, remote, "/opus.ogg");
            try (ServerProcess replacement = takeOverWithTwoListeners(old, source, "/opus.ogg", false, 8_000, 16_000,
                    listeners)) {
                Capture late = Capture.start(port, "/opus.ogg", "ogg-late-joiner", false);
                Eventually.await(Duration.ofSeconds(10), "the late joiner hears audio", () -> late.bytes() > 4_000);
                late.stop();
                List<OggPages.Page> latePages = OggPages.parse(late.captured());
                assertTrue(latePages.getFirst().body().startsWith("OpusHead"),
                        "a listener joining the new process gets the codec headers first");
                for (Capture listener : listeners) {
                    listener.stop();
                    assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                    List<OggPages.Page> pages = OggPages.parse(listener.captured()); // throws at a broken page
                    assertTrue(pages.getFirst().body().startsWith("OpusHead"), "the stream starts with its headers");
                    assertTrue(pages.get(1).body().startsWith("OpusTags"), pages.get(1).body());
                    // the burst after the two header pages starts wherever the ring's oldest chunk did
                    for (int i = 3; i < pages.size(); i++) {
                        assertEquals(pages.get(i - 1).sequence() + 1, pages.get(i).sequence(),
                                "audio pages follow one another without a gap or a repeat, at page " + i);
                    }
                    assertTrue(pages.size() > 20, "pages across the seam: " + pages.size());
                }
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
            old.close();
        }
    }

    @Test
    void anEncoderSendingAChunkedPutGoesOnAcrossATakeOverWithTheFramingWhereItWas() throws Exception {
        ServerProcess old = ServerProcess.start(dir);
        int port = old.port();
        TestServer.Remote remote = new TestServer.Remote(port);
        List<Capture> listeners = new ArrayList<>();
        // ffmpeg's http output: PUT with Transfer-Encoding: chunked, one chunk per write
        try (ExternalProcess source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=600", "-c:a", "libmp3lame", "-b:a", "128k",
                "-f", "mp3", "-method", "PUT", "-chunked_post", "1", "-auth_type", "basic", "-content_type", "audio/mpeg",
                "http://source:" + TestServer.SOURCE_PASSWORD + "@127.0.0.1:" + port + "/chunked"))) {
            TakeOverTest.awaitChannel(dir);
            awaitLive(source, remote, "/chunked");
            try (ServerProcess replacement = takeOverWithTwoListeners(old, source, "/chunked", true, 20_000, 48_000,
                    listeners)) {
                for (Capture listener : listeners) {
                    listener.stop();
                    assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                    // a chunk-size line or CRLF taken for audio, or audio taken for framing, breaks a frame
                    int frames = Mp3Chain.count(Stream.parse(listener.captured()).audio);
                    assertTrue(frames > 100, "continuous MP3 frames across the seam: " + frames);
                }
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
            old.close();
        }
    }

    /**
     * An edge relaying an origin is updated: its relay's upstream connection moves to the new process, which
     * reads on from the next byte (the origin sees no second connection), and the edge's listeners hear one
     * continuous stream, the titles the origin sends before and after included.
     */
    @Test
    void aRelayAndItsListenersGoOnAcrossATakeOverOnTheSameUpstreamConnection() throws Exception {
        List<Capture> listeners = new ArrayList<>();
        try (Relayed relayed = Relayed.start(dir, listeners, false)) {
            try (ServerProcess replacement = relayed.takeOver()) {
                relayed.assertGoesOn(listeners, "After%20Update");
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
        }
    }

    /**
     * The same for a relay of a master's list ({@code "master"}): it moves, and the new process's first fetch
     * of the list keeps it (the origin sees one connection all along).
     */
    @Test
    void aRelayOfAMastersListGoesOnAcrossATakeOverAndTheNewProcessesFirstFetchKeepsIt() throws Exception {
        List<Capture> listeners = new ArrayList<>();
        try (Relayed relayed = Relayed.start(dir, listeners, true)) {
            try (ServerProcess replacement = relayed.takeOver()) {
                replacement.awaitLine(0, ": lists [/live]"); // its first fetch of the master's list
                relayed.assertGoesOn(listeners, "After%20Update"); // one connection to the origin, still
                assertFalse(replacement.output().toString().contains("no longer in the configuration or the master"),
                        replacement.output().toString());
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
        }
    }

    @Test
    void aNewProcessThatDiesAfterARelayWasSentGivesItBackAndTheRelayReadsOnFromTheSameConnection() throws Exception {
        List<Capture> listeners = new ArrayList<>();
        try (Relayed relayed = Relayed.start(dir, listeners, false)) {
            assertEquals(List.of("listening " + relayed.edge().port(), "server", "relay", "listeners", "end"),
                    takeEverythingAndDie(TakeOverTest.awaitChannel(relayed.edgeDir())));
            relayed.edge().awaitLine(0, "took back 1 source(s) and 2 listener(s); accepting again");
            relayed.assertGoesOn(listeners, "Taken%20Back");
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
        }
    }

    /**
     * A file mount (a fallback's file, playing for its listeners) is handed over between two stretches: the
     * new process plays the file on from the next frame, and the listeners hear one chain of MP3 frames.
     */
    @Test
    void aFileMountAndItsListenersGoOnAcrossATakeOverFromTheSamePlaceInTheFile() throws Exception {
        Path tone = Encoders.mp3FramesFile(dir, 3);
        java.nio.file.Files.move(tone, dir.resolve("loop.mp3"));
        java.nio.file.Files.writeString(dir.resolve("tinyice.json"), """
                {"mounts": {"/live": {"fallback": "/loop.mp3"}}}
                """);
        List<Capture> listeners = new ArrayList<>();
        try (ServerProcess old = ServerProcess.start(dir)) {
            TakeOverTest.awaitChannel(dir);
            try (ServerProcess replacement = takeOverWithTwoListeners(old, null, "/loop.mp3", true, 24_000, 96_000,
                    listeners)) {
                assertTrue(replacement.awaitLine(0, "playing /loop.mp3 as a file mount, on from byte").length() > 0);
                for (Capture listener : listeners) {
                    listener.stop();
                    assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                    // the capture spans the seam and, at 16 KB a second, a turn of the 3-second file
                    int frames = Mp3Chain.count(Stream.parse(listener.captured()).audio);
                    assertTrue(frames > 150, "continuous MP3 frames across the seam: " + frames);
                }
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
        }
    }

    /**
     * A TinyIce origin (in {@code origin/}) with an ffmpeg source on {@code /live} titled "Before Update", and
     * an edge (in {@code edge/}) relaying it to {@code /relayed} (or, with {@code master}, relaying what the
     * origin lists, to {@code /live}), with two ICY listeners that heard that title.
     */
    private record Relayed(ServerProcess origin, ExternalProcess source, ServerProcess edge, Path edgeDir)
            implements AutoCloseable {

        static Relayed start(Path dir, List<Capture> listeners, boolean master) throws Exception {
            Path originDir = java.nio.file.Files.createDirectories(dir.resolve("origin"));
            Path edgeDir = java.nio.file.Files.createDirectories(dir.resolve("edge"));
            ServerProcess origin = ServerProcess.start(originDir);
            ExternalProcess source = null;
            try {
                TestServer.Remote originRemote = new TestServer.Remote(origin.port());
                source = ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f",
                        "lavfi", "-i", "sine=frequency=440:duration=600", "-c:a", "libmp3lame", "-b:a", "128k",
                        "-content_type", "audio/mpeg", "-f", "mp3", originRemote.icecastUrl("/live")));
                awaitLive(source, originRemote, "/live");
                title(originRemote, "Before%20Update");
                String mount = master ? "/live" : "/relayed";
                java.nio.file.Files.writeString(edgeDir.resolve("tinyice.json"), master ? """
                        {"master": {"url": "http://127.0.0.1:%d", "username": "%s", "password": "%s", "interval": 60}}
                        """.formatted(origin.port(), TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD) : """
                        {"relays": [{"url": "http://127.0.0.1:%d/live", "mount": "/relayed"}]}
                        """.formatted(origin.port()));
                ServerProcess edge = ServerProcess.start(edgeDir);
                Relayed relayed = new Relayed(origin, source, edge, edgeDir);
                try {
                    TestServer.Remote edgeRemote = new TestServer.Remote(edge.port());
                    TakeOverTest.awaitChannel(edgeDir);
                    Eventually.await(Duration.ofSeconds(15), "the edge relays /live",
                            () -> edgeRemote.adminGet("/admin/listmounts").contains(mount));
                    for (int i = 0; i < 2; i++) {
                        listeners.add(Capture.start(edge.port(), mount, "edge-listener-" + i));
                    }
                    Eventually.await(Duration.ofSeconds(15), "the edge's listeners hear the origin's title",
                            () -> listeners.stream().allMatch(l -> l.titles().contains("Before Update")));
                    return relayed;
                } catch (Exception | Error e) {
                    relayed.close();
                    throw e;
                }
            } catch (Exception | Error e) {
                if (source != null) {
                    source.close();
                }
                origin.close();
                throw e;
            }
        }

        /**
         * A new edge takes over: the relay and the two listeners move, the old edge exits, and the new one's
         * relay reads on from the upstream connection it was given. Returned running: the caller closes it.
         */
        ServerProcess takeOver() throws Exception {
            ServerProcess replacement = ServerProcess.start(edgeDir, "--take-over");
            try {
                String took = replacement.awaitLine(0, "take-over: accepting on port");
                assertTrue(took.contains("1 mount(s) and 2 listener(s)"), replacement.output() + "\nold:\n"
                        + edge.output());
                assertEquals(0, edge.awaitExit(30), "the old edge exits: " + edge.output());
                replacement.awaitLine(0, "reading on from the upstream connection of the process this one took over");
                return replacement;
            } catch (Exception | Error e) {
                replacement.close();
                throw e;
            }
        }

        /**
         * The origin sets {@code title}; the listeners hear it, then each one's capture is one stream with both
         * titles once and every MP3 frame chained; the origin saw the relay connect once.
         */
        void assertGoesOn(List<Capture> listeners, String title) throws Exception {
            TestServer.Remote originRemote = new TestServer.Remote(origin.port());
            title(originRemote, title);
            String heard = java.net.URLDecoder.decode(title, StandardCharsets.UTF_8);
            Eventually.await(Duration.ofSeconds(15), "the edge's listeners hear the title set after",
                    () -> listeners.stream().allMatch(l -> l.titles().contains(heard)));
            // the title can come a second after the listeners joined (a relay's burst is what the edge has
            // had time to read): each capture goes on to four metadata intervals' worth of bytes, over 100
            // MP3 frames however long the metadata blocks among them (at most 4,081 bytes each)
            Eventually.await(Duration.ofSeconds(15), "the edge's listeners get audio on after the title",
                    () -> listeners.stream().allMatch(l -> l.bytes() > 4L * METAINT));
            String stats = originRemote.adminGet("/admin/stats");
            assertTrue(stats.contains("<listener_connections>1</listener_connections>"),
                    "the origin saw the relay connect once: " + stats);
            for (Capture listener : listeners) {
                listener.stop();
                assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                Stream stream = Stream.parse(listener.captured());
                assertEquals(List.of("Before Update", heard), stream.titles, "each title once, in order");
                int frames = Mp3Chain.count(stream.audio); // an upstream ICY byte taken for audio breaks one
                assertTrue(frames > 100, "continuous MP3 frames across the seam: " + frames);
            }
        }

        @Override
        public void close() throws Exception {
            edge.close();
            source.close();
            origin.close();
        }
    }

    @Test
    void aShoutcastV1EncoderAndItsListenersGoOnAcrossATakeOverAndTheNewProcessOpensItsPort() throws Exception {
        int shoutcastPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            shoutcastPort = probe.getLocalPort();
        }
        java.nio.file.Files.writeString(dir.resolve("tinyice.json"), """
                {"shoutcast": {"port": %d, "mount": "/sc"}}
                """.formatted(shoutcastPort));
        Path tone = Encoders.mp3FramesFile(dir, 5);
        ServerProcess old = ServerProcess.start(dir);
        TestServer.Remote remote = new TestServer.Remote(old.port());
        List<Capture> listeners = new ArrayList<>();
        try (ShoutcastEncoder encoder = new ShoutcastEncoder(shoutcastPort)) {
            assertEquals("OK2\r\nicy-caps:11\r\n\r\n", encoder.login(TestServer.SOURCE_PASSWORD));
            encoder.headers("icy-name:Before", "content-type:audio/mpeg").stream(tone);
            TakeOverTest.awaitChannel(dir);
            Eventually.await(Duration.ofSeconds(15), "/sc is up",
                    () -> remote.adminGet("/admin/listmounts").contains("/sc"));
            title(remote, "/sc", "Before%20Update");
            try (ServerProcess replacement = takeOverWithTwoListeners(old, null, "/sc", true, 20_000, 48_000,
                    listeners)) {
                assertTrue(encoder.streaming(), "the encoder did not have to reconnect");
                title(remote, "/sc", "After%20Update");
                Eventually.await(Duration.ofSeconds(15), "every listener hears the title set on the new process",
                        () -> listeners.stream().allMatch(l -> l.titles().contains("After Update")));
                for (Capture listener : listeners) {
                    listener.stop();
                    assertTrue(listener.failure == null, "listener connection failed: " + listener.failure);
                    Stream stream = Stream.parse(listener.captured());
                    assertEquals(List.of("Before Update", "After Update"), stream.titles, "each title once, in order");
                    int frames = Mp3Chain.count(stream.audio); // throws at a broken frame
                    assertTrue(frames > 100, "continuous MP3 frames across the seam: " + frames);
                }
                // the old process closed its SHOUTcast port when the update started; the new one opened its
                // own with no kill -HUP (the mount is taken, so after OK2 this second encoder is turned away)
                Eventually.await(Duration.ofSeconds(15), "the new process answers on the SHOUTcast port", () -> {
                    try (ShoutcastEncoder after = new ShoutcastEncoder(shoutcastPort)) {
                        return after.login(TestServer.SOURCE_PASSWORD).startsWith("OK2");
                    } catch (IOException refused) {
                        return false;
                    }
                });
            }
        } finally {
            for (Capture listener : listeners) {
                listener.stop();
            }
            old.close();
        }
    }

    /** Ogg pages taken apart strictly, each checked against its CRC: a lost or repeated byte breaks one. */
    private static final class OggPages {
        record Page(long sequence, String body) {
        }

        static List<Page> parse(byte[] bytes) {
            List<Page> pages = new ArrayList<>();
            int at = 0;
            while (at + 27 <= bytes.length) {
                if (bytes[at] != 'O' || bytes[at + 1] != 'g' || bytes[at + 2] != 'g' || bytes[at + 3] != 'S') {
                    throw new AssertionError("no Ogg page at byte " + at + " after " + pages.size() + " pages");
                }
                int segments = bytes[at + 26] & 0xFF;
                if (at + 27 + segments > bytes.length) {
                    break; // the last page is not all there yet
                }
                int body = 0;
                for (int i = 0; i < segments; i++) {
                    body += bytes[at + 27 + i] & 0xFF;
                }
                int length = 27 + segments + body;
                if (at + length > bytes.length) {
                    break;
                }
                byte[] page = java.util.Arrays.copyOfRange(bytes, at, at + length);
                long stored = (page[22] & 0xFFL) | (page[23] & 0xFFL) << 8 | (page[24] & 0xFFL) << 16 | (page[25] & 0xFFL) << 24;
                page[22] = page[23] = page[24] = page[25] = 0;
                if (crc(page) != stored) {
                    throw new AssertionError("page " + pages.size() + " at byte " + at + " fails its CRC");
                }
                long sequence = (page[18] & 0xFFL) | (page[19] & 0xFFL) << 8 | (page[20] & 0xFFL) << 16 | (page[21] & 0xFFL) << 24;
                pages.add(new Page(sequence, new String(page, 27 + segments, Math.min(8, body), StandardCharsets.ISO_8859_1)));
                at += length;
            }
            return pages;
        }

        /** Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0. */
        private static long crc(byte[] page) {
            int crc = 0;
            for (byte b : page) {
                crc ^= (b & 0xFF) << 24;
                for (int i = 0; i < 8; i++) {
                    crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
                }
            }
            return crc & 0xFFFFFFFFL;
        }
    }

    /**
     * Two listeners of {@code mount} on {@code old} (with ICY metadata if {@code icy}), added to
     * {@code listeners}, each past {@code heard} bytes; then a new process takes over, the old one exits,
     * the encoder ({@code source}, unless null: the caller checks its own) did not have to reconnect, and the
     * first listener gets {@code more} bytes from the new process, which is returned (running: the caller
     * closes it).
     */
    private ServerProcess takeOverWithTwoListeners(ServerProcess old, ExternalProcess source, String mount, boolean icy,
                                                   int heard, int more, List<Capture> listeners) throws Exception {
        for (int i = 0; i < 2; i++) {
            listeners.add(Capture.start(old.port(), mount, "listener-" + i + " of " + mount, icy));
        }
        Eventually.await(Duration.ofSeconds(10), "the listeners hear audio",
                () -> listeners.stream().allMatch(l -> l.bytes() > heard));
        ServerProcess replacement = ServerProcess.start(dir, "--take-over");
        String took = replacement.awaitLine(0, "take-over: accepting on port");
        assertTrue(took.contains("1 mount(s) and 2 listener(s)"), replacement.output().toString());
        assertEquals(0, old.awaitExit(30), "the old process exits: " + old.output());
        if (source != null) {
            assertTrue(source.isAlive(), "the encoder did not have to reconnect: " + source.output());
        }
        long before = listeners.getFirst().bytes();
        Eventually.await(Duration.ofSeconds(10), "audio keeps coming from the new process",
                () -> listeners.getFirst().bytes() > before + more);
        return replacement;
    }

    /**
     * A "new process" that takes everything and dies before it accepts: the kernel drops the descriptors it
     * never read, the old process still holds its own.
     *
     * @return the first line of each message it got
     */
    private static List<String> takeEverythingAndDie(Path channel) throws IOException {
        List<String> received = new ArrayList<>();
        try (java.nio.channels.SocketChannel takeOver = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(channel))) {
            TakeOverTest.sendMessage(takeOver, "take-over 1");
            received.add(TakeOverTest.receiveMessage(takeOver));
            TakeOverTest.sendMessage(takeOver, "ready");
            String message;
            do {
                message = TakeOverTest.receiveMessage(takeOver);
                received.add(message.lines().findFirst().orElse(""));
            } while (!message.startsWith("end"));
        }
        return received;
    }

    /** Waits (bounded) for the encoder's mount, giving up with its output if it died. */
    private static void awaitLive(ExternalProcess source, TestServer.Remote remote, String mount) throws Exception {
        Eventually.await(Duration.ofSeconds(15), mount + " is up", () -> {
            if (!source.isAlive()) {
                throw new Eventually.GiveUp(source.output());
            }
            return remote.adminGet("/admin/listmounts").contains(mount);
        });
    }

    private static void title(TestServer.Remote remote, String song) throws IOException {
        title(remote, "/live", song);
    }

    private static void title(TestServer.Remote remote, String mount, String song) throws IOException {
        String answer = remote.adminGet("/admin/metadata?mode=updinfo&mount=" + mount + "&song=" + song);
        assertTrue(answer.contains("Metadata update successful"), answer);
    }

    /** A listener with ICY metadata reading everything it gets on a thread of its own. */
    private static final class Capture {
        private final Socket socket;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final Thread reader;
        volatile Exception failure;
        volatile long longestGapMillis;
        private volatile boolean stopping;

        private Capture(Socket socket, InputStream in) {
            this.socket = socket;
            this.reader = Thread.ofPlatform().daemon(true).start(() -> {
                byte[] buffer = new byte[8192];
                try {
                    int n;
                    long last = System.nanoTime();
                    while ((n = in.read(buffer)) >= 0) {
                        long now = System.nanoTime();
                        longestGapMillis = Math.max(longestGapMillis, (now - last) / 1_000_000);
                        last = now;
                        synchronized (body) {
                            body.write(buffer, 0, n);
                        }
                    }
                    if (!stopping) {
                        failure = new IOException("the stream ended");
                    }
                } catch (IOException e) {
                    if (!stopping) {
                        failure = e;
                    }
                }
            });
        }

        static Capture start(int port, String mount, String agent) throws IOException {
            return start(port, mount, agent, true);
        }

        static Capture start(int port, String mount, String agent, boolean icy) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET " + mount + " HTTP/1.0\r\nUser-Agent: " + agent
                    + (icy ? "\r\nIcy-MetaData: 1" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("no head: " + head);
                }
                head.append((char) b);
            }
            assertTrue(head.toString().startsWith("HTTP/1.0 200 OK")
                    && head.toString().contains("icy-metaint:" + METAINT) == icy, head.toString());
            return new Capture(socket, in);
        }

        byte[] captured() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        long bytes() {
            synchronized (body) {
                return body.size();
            }
        }

        List<String> titles() {
            return Stream.parse(captured()).titles;
        }

        void stop() throws InterruptedException {
            stopping = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            reader.join(10_000);
        }
    }

    /** A listener's bytes taken apart strictly: 16,000 audio bytes, a metadata block, and so on. */
    private record Stream(byte[] audio, List<String> titles) {
        static Stream parse(byte[] bytes) {
            ByteArrayOutputStream audio = new ByteArrayOutputStream();
            List<String> titles = new ArrayList<>();
            int at = 0;
            while (at < bytes.length) {
                int run = Math.min(METAINT, bytes.length - at);
                audio.write(bytes, at, run);
                at += run;
                if (run < METAINT || at >= bytes.length) {
                    break;
                }
                int length = (bytes[at] & 0xFF) * 16;
                if (at + 1 + length > bytes.length) {
                    break; // the last block is not all there yet
                }
                if (length > 0) {
                    String block = new String(bytes, at + 1, length, StandardCharsets.UTF_8).replace("\0", "");
                    if (!block.startsWith("StreamTitle='") || !block.endsWith("';")) {
                        throw new AssertionError("not a metadata block at byte " + at + ": " + block);
                    }
                    titles.add(block.substring("StreamTitle='".length(), block.length() - 2));
                }
                at += 1 + length;
            }
            return new Stream(audio.toByteArray(), titles);
        }
    }

    /** MP3 frames chained header to header: a lost or repeated byte anywhere breaks the chain. */
    private static final class Mp3Chain {
        static int count(byte[] audio) {
            int start = firstChainedFrame(audio);
            int frames = 0;
            int at = start;
            while (at + Mp3Frames.HEADER_LENGTH <= audio.length) {
                Optional<Mp3Frames.Frame> frame = Mp3Frames.header(audio, at);
                if (frame.isEmpty()) {
                    throw new AssertionError("broken MP3 frame at audio byte " + at + " of " + audio.length
                            + " after " + frames + " frames");
                }
                at += frame.get().length();
                frames++;
            }
            return frames;
        }

        /** The burst starts wherever a chunk started: skip to the first header three frames agree on. */
        private static int firstChainedFrame(byte[] audio) {
            for (int at = 0; at + 3 * Mp3Frames.MAX_FRAME_LENGTH < audio.length; at++) {
                int next = at;
                boolean chained = true;
                for (int i = 0; i < 3 && chained; i++) {
                    Optional<Mp3Frames.Frame> frame = Mp3Frames.header(audio, next);
                    chained = frame.isPresent();
                    next += frame.map(Mp3Frames.Frame::length).orElse(0);
                }
                if (chained) {
                    return at;
                }
            }
            throw new AssertionError("no MP3 frames in " + audio.length + " bytes");
        }
    }
}
