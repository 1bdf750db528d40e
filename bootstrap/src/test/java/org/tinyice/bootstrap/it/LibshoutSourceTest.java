package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libshout clients (the {@code shout} tool, ezstream; BUTT, ices and Mixxx use the same library):
 * legacy {@code SOURCE} over HTTP/1.0 after an {@code OPTIONS *} probe and a credential-less
 * challenge, with audio sent right behind the request head.
 */
class LibshoutSourceTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static Path tone;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, null);
        tone = Encoders.mp3File(dir, 30);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shoutStreamsOverSourceAndPlayersDecodeIt() throws Exception {
        try (ExternalProcess shout = ExternalProcess.start(dir, List.of("shout", "--usage", "audio", "--format", "mp3",
                "-H", "127.0.0.1", "-P", Integer.toString(server.port()), "--mount", "/shout", "--user", "source",
                "--pass", TestServer.SOURCE_PASSWORD, "--station-name", "Shout Name", "--station-genre", "Jazz"),
                tone)) {
            Sources.awaitMount(server, "/shout", shout);
            String status = server.statusJson();
            assertTrue(status.contains("\"server_name\":\"Shout Name\""), status);
            assertTrue(status.contains("\"genre\":\"Jazz\""), status);
            assertDecodes("/shout");
        }
    }

    @Test
    void ezstreamStreamsAndUpdatesMetadata() throws Exception {
        Path config = dir.resolve("ezstream.xml");
        Files.writeString(config, """
                <ezstream>
                  <servers><server>
                    <protocol>HTTP</protocol><hostname>127.0.0.1</hostname><port>%d</port>
                    <user>source</user><password>%s</password>
                  </server></servers>
                  <streams><stream>
                    <mountpoint>/ez.mp3</mountpoint><format>MP3</format>
                    <stream_name>EZ Name</stream_name><stream_genre>Ambient</stream_genre>
                  </stream></streams>
                  <intakes><intake><type>file</type><filename>%s</filename><stream_once>1</stream_once></intake></intakes>
                </ezstream>
                """.formatted(server.port(), TestServer.SOURCE_PASSWORD, tone));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        try (ExternalProcess ezstream = ExternalProcess.start(dir, List.of("ezstream", "-c", config.toString()))) {
            Sources.awaitMount(server, "/ez.mp3", ezstream);
            assertTrue(server.statusJson().contains("\"server_name\":\"EZ Name\""));
            // ezstream sends the file name as the title through /admin/metadata (libshout's way)
            Eventually.await(Duration.ofSeconds(10), "ezstream's title in status",
                    () -> server.statusJson().contains("\"title\":\"tone-30\""));
            assertDecodes("/ez.mp3");
        }
    }

    private void assertDecodes(String mount) throws Exception {
        Players.assertRecordsMp3(dir, server.url(mount), mount.substring(1).replace('/', '_') + ".received");
    }
}
