package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tinyice.application.port.out.FallbackFiles.FallbackFile;

/**
 * What every {@link FallbackFiles} must do. An adapter's test extends this class and says how to make a
 * store that holds some files, named by the mount path they play as.
 */
public abstract class FallbackFilesContract {

    protected static final byte[] AUDIO = {(byte) 0xFF, (byte) 0xFB, 0x58, 0x00, 1, 2, 3, 4, 5};

    /** A store holding these files, keyed by mount path ({@code "/loop.mp3"}, {@code "/night/jazz.ogg"}). */
    protected abstract FallbackFiles holding(Map<String, byte[]> files) throws IOException;

    private static byte[] read(FallbackFile file) throws IOException {
        try (InputStream in = file.open()) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"/loop.mp3, audio/mpeg", "/loop.aac, audio/aac", "/loop.ogg, application/ogg",
            "/loop.oga, audio/ogg", "/loop.opus, audio/ogg", "/night/jazz.mp3, audio/mpeg",
            "/LOUD.MP3, audio/mpeg"})
    void findsAFileByTheMountPathItPlaysAsWithTheContentTypeOfItsName(String path, String contentType)
            throws IOException {
        FallbackFile file = holding(Map.of(path, AUDIO)).find(path).orElseThrow();

        assertEquals(path, file.mountPath());
        assertEquals(contentType, file.contentType());
        assertArrayEquals(AUDIO, read(file));
    }

    @Test
    void opensAtTheFirstByteEachTime() throws IOException {
        FallbackFile file = holding(Map.of("/loop.mp3", AUDIO)).find("/loop.mp3").orElseThrow();

        try (InputStream first = file.open(); InputStream second = file.open()) {
            assertEquals(AUDIO[0] & 0xFF, first.read());
            assertEquals(AUDIO[1] & 0xFF, first.read());
            assertArrayEquals(AUDIO, second.readAllBytes());
        }
        assertArrayEquals(AUDIO, read(file));
    }

    @Test
    void aPathWithoutAFileFindsNothing() throws IOException {
        FallbackFiles files = holding(Map.of("/loop.mp3", AUDIO));

        assertEquals(Optional.empty(), files.find("/other.mp3"));
        assertEquals(Optional.empty(), files.find("/loop.ogg"));
        assertEquals(Optional.empty(), files.find("/night/loop.mp3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tinyice.db", "/tinyice.json", "/access.log", "/notes.txt", "/loop", "/loop.mp3.bak"})
    void aFileThatIsNotAudioByItsNameNeverPlays(String path) throws IOException {
        assertEquals(Optional.empty(), holding(Map.of(path, AUDIO)).find(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop.mp3", "/../loop.mp3", "/night/../loop.mp3", "//loop.mp3", "/loop mp3.mp3", ""})
    void aPathThatIsNotAValidMountFindsNothing(String path) throws IOException {
        FallbackFiles files = holding(Map.of("/loop.mp3", AUDIO));

        assertEquals(Optional.empty(), files.find(path));
    }

    @Test
    void theContentTypeComesFromTheLastDotOfTheNameOnly() {
        assertEquals(Optional.of("audio/mpeg"), FallbackFiles.contentTypeOf("/a.ogg.mp3"));
        assertEquals(Optional.empty(), FallbackFiles.contentTypeOf("/dir.mp3/file"));
        assertTrue(FallbackFiles.contentTypeOf("/.mp3").isPresent(), "a name that is only an extension");
    }
}
