package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.TlsConfig;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;

/** {@code "tls"} and {@code "https_redirect"}: defaults, each mistake with its line, a round trip. */
class JsonConfigurationFileTlsTest {

    @TempDir
    Path dir;

    private Path file;
    private JsonConfigurationFile store;

    @BeforeEach
    void setUp() {
        file = dir.resolve("tinyice.json");
        store = new JsonConfigurationFile(file, new Argon2PasswordHasher(1024, 1, 1));
    }

    private ServerConfig load(String json) throws IOException {
        Files.writeString(file, json);
        return store.load().orElseThrow();
    }

    @Test
    void noTlsByDefaultAndThePortDefaultsTo8443() throws IOException {
        assertEquals(Optional.empty(), load("{}").tls());
        assertEquals(Optional.of(new TlsConfig(8443, "fullchain.pem", "privkey.pem", false)),
                load("{\"tls\": {\"cert\": \"fullchain.pem\", \"key\": \"privkey.pem\"}}").tls());
    }

    @Test
    void everyKeyIsReadAndWrittenBack() throws IOException {
        ServerConfig config = load("""
                {"tls": {"port": 443, "cert": "/etc/letsencrypt/live/x/fullchain.pem", "key": "privkey.pem"},
                 "https_redirect": true}
                """);
        TlsConfig expected = new TlsConfig(443, "/etc/letsencrypt/live/x/fullchain.pem", "privkey.pem", true);
        assertEquals(Optional.of(expected), config.tls());
        store.save(config);
        assertEquals(Optional.of(expected), store.load().orElseThrow().tls());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"tls\": {\"cert\": \"c.pem\"}}                                   | \"tls.key\" must name",
        "{\"tls\": {\"key\": \"k.pem\"}}                                    | \"tls.cert\" must name",
        "{\"tls\": {\"port\": 70000, \"cert\": \"c\", \"key\": \"k\"}}      | \"tls.port\" must be a whole number",
        "{\"tls\": {\"cert\": \"c\", \"key\": \"k\", \"chain\": \"x\"}}     | unknown key \"tls.chain\"",
        "{\"tls\": \"c.pem\"}                                               | \"tls\" must be {",
        "{\"https_redirect\": true}                                         | needs a \"tls\" port",
        "{\"https_redirect\": 1, \"tls\": {\"cert\": \"c\", \"key\": \"k\"}} | \"https_redirect\" must be true or false",
        "{\"tls\": {\"port\": 8000, \"cert\": \"c\", \"key\": \"k\"}}       | must differ from \"port\"",
    })
    void mistakesAreNamedWithTheirLine(String json, String expected) {
        Exception e = assertThrows(InvalidConfigurationException.class, () -> load("\n" + json));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
