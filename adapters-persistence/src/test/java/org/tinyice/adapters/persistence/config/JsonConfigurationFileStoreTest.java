package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.ConfigurationStoreContract;

class JsonConfigurationFileStoreTest extends ConfigurationStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ConfigurationStore newStore() {
        return new JsonConfigurationFile(dir.resolve("tinyice.json"), new Argon2PasswordHasher(1024, 1, 1));
    }

    @Test
    void aNewStoreOnTheSameFileReadsWhatTheLastOneSaved() {
        ServerConfig config = richConfig();
        newStore().save(config);

        assertEquals(Optional.of(config), newStore().load());
    }

    @Test
    void namesItsFile() {
        assertEquals(dir.resolve("tinyice.json").toString(), newStore().location());
    }
}
