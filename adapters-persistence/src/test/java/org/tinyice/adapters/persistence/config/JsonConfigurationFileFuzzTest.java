package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * {@code tinyice.json} is edited by hand. Whatever a file holds, loading it gives a configuration or
 * an {@link InvalidConfigurationException} (which names the file and line), never another exception;
 * and a configuration that loads is saved and loaded back equal.
 */
class JsonConfigurationFileFuzzTest {

    private static final PasswordHasher HASHER = new Argon2PasswordHasher(1024, 1, 1);
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("tinyice-config-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void anyFileLoadsOrIsRefusedAndWhatLoadsSavesBackEqual(FuzzedDataProvider data) throws IOException {
        Path file = DIR.resolve("tinyice.json");
        Files.write(file, data.consumeRemainingAsBytes());
        JsonConfigurationFile store = new JsonConfigurationFile(file, HASHER);
        Optional<ServerConfig> loaded;
        try {
            loaded = store.load();
        } catch (InvalidConfigurationException refused) {
            return;
        }
        if (loaded.isEmpty()) {
            return;
        }
        store.save(loaded.get());
        assertEquals(loaded, store.load(), Files.readString(file));
    }
}
