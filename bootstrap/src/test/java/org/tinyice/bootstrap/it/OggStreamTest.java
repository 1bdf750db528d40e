package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ogg Opus end to end: page-aligned joins, codec headers for late listeners, no ICY metadata. */
class OggStreamTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        // a small burst, so a listener joining a few seconds in cannot find the header pages in it
        server = TestServer.start(dir, """
                {"mounts": {"/opus.ogg": {"burst_size": 4096}}}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lateListenerGetsCodecHeadersFirstAndDecodes() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegOpus(dir, server, "/opus.ogg")) {
            Sources.awaitMount(server, "/opus.ogg", source);
            Thread.sleep(4000); // the header pages are now far outside the 4 KiB burst
            String status = server.statusJson();
            assertTrue(status.contains("\"server_type\":\"application/ogg\""), status);
            assertTrue(status.contains("\"subtype\":\"Opus\""), status);

            try (RawClient listener = new RawClient(server.port())) {
                String head = listener.send("GET /opus.ogg HTTP/1.0\r\nIcy-MetaData: 1\r\n\r\n").readHead();
                assertTrue(head.contains("Content-Type: application/ogg"), head);
                assertFalse(head.contains("icy-metaint"), "never ICY metadata on Ogg: " + head);
                byte[] first = listener.readBytes(64);
                assertEquals("OggS", new String(first, 0, 4, StandardCharsets.ISO_8859_1));
                assertTrue((first[5] & 0x02) != 0, "the first page begins the stream (BOS)");
                assertEquals("OpusHead", new String(Arrays.copyOfRange(first, 28, 36), StandardCharsets.ISO_8859_1));
            }

            Path received = dir.resolve("late.opus");
            ExternalProcess.Result curl = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-m", "3", "-o",
                    received.toString(), server.url("/opus.ogg")));
            assertEquals(28, curl.exitCode(), curl.output());
            ExternalProcess.Result probe = ExternalProcess.run(dir, 30, List.of("ffprobe", "-v", "error",
                    "-show_entries", "stream=codec_name,sample_rate", "-of", "compact", received.toString()));
            assertEquals(0, probe.exitCode(), probe.output());
            assertTrue(probe.output().contains("codec_name=opus"), probe.output());
            ExternalProcess.Result decode = ExternalProcess.run(dir, 30, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-i", received.toString(), "-f", "null", "-"));
            assertEquals(0, decode.exitCode(), "a late join decodes without errors: " + decode.output());
            assertTrue(Files.size(received) > 20_000);
        }
    }

    @Test
    void metadataUpdatesAreRefusedOnOggLikeIcecast() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegOpus(dir, server, "/vorbisless.ogg")) {
            Sources.awaitMount(server, "/vorbisless.ogg", source);
            String answer = FfmpegSourceTest.adminGetOn(server, "/admin/metadata?mode=updinfo&mount=/vorbisless.ogg&song=X",
                    TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            assertTrue(answer.contains("<message>Mountpoint will not accept URL updates</message><return>1</return>"),
                    answer);
            assertFalse(server.statusJson().contains("\"title\""));
        }
    }
}
