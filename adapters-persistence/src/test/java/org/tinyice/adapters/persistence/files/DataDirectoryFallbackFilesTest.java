package org.tinyice.adapters.persistence.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.FallbackFilesContract;

class DataDirectoryFallbackFilesTest extends FallbackFilesContract {

    @TempDir
    Path root;

    private Path data() throws IOException {
        return Files.createDirectories(root.resolve("data"));
    }

    @Override
    protected FallbackFiles holding(Map<String, byte[]> files) throws IOException {
        Path data = data();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = data.resolve(file.getKey().substring(1));
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        return new DataDirectoryFallbackFiles(data);
    }

    @Test
    void aFileBesideTheDataDirectoryIsOutOfReach() throws IOException {
        Files.write(root.resolve("secret.mp3"), AUDIO);
        FallbackFiles files = holding(Map.of());

        assertEquals(Optional.empty(), files.find("/../secret.mp3"));
    }

    @Test
    void aSymbolicLinkThatLeadsOutOfTheDataDirectoryIsRefused() throws IOException {
        Path outside = Files.write(root.resolve("outside.mp3"), AUDIO);
        Path data = data();
        Files.createSymbolicLink(data.resolve("link.mp3"), outside);
        Files.createSymbolicLink(data.resolve("elsewhere"), root);

        FallbackFiles files = new DataDirectoryFallbackFiles(data);

        assertEquals(Optional.empty(), files.find("/link.mp3"));
        assertEquals(Optional.empty(), files.find("/elsewhere/outside.mp3"));
    }

    @Test
    void aSymbolicLinkInsideTheDataDirectoryPlays() throws IOException {
        Path data = data();
        Path real = Files.write(Files.createDirectories(data.resolve("jingles")).resolve("id.mp3"), AUDIO);
        Files.createSymbolicLink(data.resolve("station.mp3"), real);

        assertTrue(new DataDirectoryFallbackFiles(data).find("/station.mp3").isPresent());
    }

    @Test
    void aDirectoryWithAnAudioNameIsNoFile() throws IOException {
        Files.createDirectories(data().resolve("folder.mp3"));

        assertEquals(Optional.empty(), new DataDirectoryFallbackFiles(data()).find("/folder.mp3"));
    }

    @Test
    void aRelativeDataDirectoryWorksToo() throws IOException {
        Path data = data();
        Files.write(data.resolve("loop.mp3"), AUDIO);
        Path relative = Path.of("").toAbsolutePath().relativize(data);

        assertTrue(new DataDirectoryFallbackFiles(relative).find("/loop.mp3").isPresent());
    }
}
