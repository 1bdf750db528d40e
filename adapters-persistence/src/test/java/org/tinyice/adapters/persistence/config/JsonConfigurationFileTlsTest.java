package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.AcmeConfig;
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

    @Test
    void acmeNeedsOnlyDomainsAndIsReadAndWrittenBack() throws IOException {
        ServerConfig minimal = load("""
                {"tls": {"port": 443}, "acme": {"domains": ["radio.example.org"]}}
                """);
        TlsConfig tls = minimal.tls().orElseThrow();
        assertEquals(TlsConfig.ACME_CERT, tls.cert(), "ACME's files by default");
        assertEquals(TlsConfig.ACME_KEY, tls.key());
        AcmeConfig acme = tls.acme().orElseThrow();
        assertEquals(List.of("radio.example.org"), acme.domains());
        assertEquals(AcmeConfig.LETS_ENCRYPT, acme.directory());
        assertEquals(Optional.empty(), acme.email());

        ServerConfig full = load("""
                {"tls": {"port": 8443},
                 "acme": {"domains": ["a.example", "b.example"], "email": "ops@example.org",
                          "directory": "https://ca.internal/dir", "challenge_port": 80, "directory_ca": "ca.pem"}}
                """);
        AcmeConfig expected = new AcmeConfig(List.of("a.example", "b.example"), Optional.of("ops@example.org"),
                URI.create("https://ca.internal/dir"), Optional.of(80), Optional.of("ca.pem"));
        assertEquals(Optional.of(expected), full.tls().orElseThrow().acme());
        store.save(full);
        assertEquals(full.tls(), store.load().orElseThrow().tls());
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
        "{\"acme\": {\"domains\": [\"a.example\"]}}                               | needs a \"tls\" port",
        "{\"acme\": {\"domains\": []}, \"tls\": {}}                             | \"acme.domains\" must list",
        "{\"acme\": {\"domains\": [\"a b\"]}, \"tls\": {}}                    | is not a host name",
        "{\"acme\": {\"domains\": [\"a\"], \"directory\": \"http://x/d\"}, \"tls\": {}} | must be the CA's https://",
        "{\"acme\": {\"domains\": [\"a\"], \"mail\": \"x\"}, \"tls\": {}}  | unknown key \"acme.mail\"",
    })
    void mistakesAreNamedWithTheirLine(String json, String expected) {
        Exception e = assertThrows(InvalidConfigurationException.class, () -> load("\n" + json));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
