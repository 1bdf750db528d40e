package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.config.MasterConfig;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;

/**
 * The {@code "relays"} list, the {@code "master"} and the relay account: defaults, every rule with the key
 * and line it is about, and a round trip.
 */
class JsonConfigurationFileRelaysTest {

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
    void aRelayNeedsOnlyItsUrlAndTakesItsMountFromThePath() throws IOException {
        ServerConfig config = load("""
                {"relays": [{"url": "http://origin.example:8000/live"}]}
                """);
        assertEquals(List.of(new RelayConfig(URI.create("http://origin.example:8000/live"), "/live",
                Optional.empty(), Optional.empty(), false, true, Duration.ofSeconds(10), Duration.ofSeconds(10))),
                config.relays());
        assertEquals(List.of(), load("{}").relays());
    }

    @Test
    void everyKeyIsReadAndWrittenBack() throws IOException {
        ServerConfig config = load("""
                {"relays": [
                  {"url": "http://origin:8000/a", "mount": "/edge-a", "username": "relay", "password": "p w",
                   "on_demand": true, "metadata": false, "grace_seconds": 30, "on_demand_idle_seconds": 5},
                  {"url": "http://origin:8000/b"}
                ]}
                """);
        RelayConfig first = config.relays().getFirst();
        assertEquals("/edge-a", first.mount());
        assertEquals(Optional.of("relay"), first.username());
        assertEquals(Optional.of("p w"), first.password());
        assertTrue(first.onDemand());
        assertEquals(false, first.metadata());
        assertEquals(Duration.ofSeconds(30), first.grace());
        assertEquals(Duration.ofSeconds(5), first.idle());
        store.save(config);
        assertEquals(config.relays(), store.load().orElseThrow().relays(), Files.readString(file));
    }

    @Test
    void theMasterAndTheRelayAccountAreReadAndWrittenBackWithThePasswordHashed() throws IOException {
        assertEquals(Optional.empty(), load("{}").master());
        assertEquals("relay", load("{}").relayUser());
        assertEquals(Optional.empty(), load("{}").relayPassword());
        ServerConfig config = load("""
                {"master": {"url": "http://origin:8000", "password": "s"}, "relay_user": "edge",
                 "relay_password": "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}
                """);
        MasterConfig master = config.master().orElseThrow();
        assertEquals(new MasterConfig(URI.create("http://origin:8000"), "relay", Optional.of("s"),
                MasterConfig.DEFAULT_INTERVAL, false), master);
        assertEquals(URI.create("http://origin:8000/admin/streamlist.txt"), master.streamListUrl());
        assertEquals("edge", config.relayUser());
        assertTrue(config.relayPassword().orElseThrow() instanceof Secret.Hashed);
        store.save(config);
        ServerConfig again = store.load().orElseThrow();
        assertEquals(config.master(), again.master());
        assertEquals(config.relayUser(), again.relayUser());
        assertEquals(config.relayPassword(), again.relayPassword());
    }

    @Test
    void anEdgesPublicUrlAndTheStaticEdgesAreReadAndWrittenBack() throws IOException {
        assertEquals(List.of(), load("{}").redirectTo());
        ServerConfig config = load("""
                {"master": {"url": "http://origin:8000", "password": "s", "interval": 30,
                            "public_url": "http://edge1.example.org:8001"},
                 "redirect_to": ["http://edge2.example.org:8000", "http://10.0.0.3", "http://[2001:db8::5]:8000/"]}
                """);
        MasterConfig master = config.master().orElseThrow();
        assertEquals(Optional.of(new EdgeAddress("edge1.example.org", 8001)), master.publicUrl());
        assertEquals(URI.create("http://origin:8000/admin/streamlist.txt?rserver=edge1.example.org&rport=8001"
                + "&interval=30&room=12"), master.streamListUrl(java.util.OptionalInt.of(12)));
        assertEquals(URI.create("http://origin:8000/admin/streamlist.txt?rserver=edge1.example.org&rport=8001"
                + "&interval=30"), master.streamListUrl(java.util.OptionalInt.empty()));
        assertEquals(List.of(new EdgeAddress("edge2.example.org", 8000), new EdgeAddress("10.0.0.3", 80),
                new EdgeAddress("2001:db8::5", 8000)), config.redirectTo());
        assertEquals("http://[2001:db8::5]:8000", config.redirectTo().get(2).toString());
        store.save(config);
        ServerConfig again = store.load().orElseThrow();
        assertEquals(config.master(), again.master());
        assertEquals(config.redirectTo(), again.redirectTo());
        assertEquals(URI.create("http://origin:8000/admin/streamlist.txt"),
                load("{\"master\": {\"url\": \"http://origin:8000\"}}").master().orElseThrow()
                        .streamListUrl(java.util.OptionalInt.of(5)), "without public_url the origin is told nothing");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"relays\": {}}                                                       | \"relays\" must be a JSON list",
        "{\"relays\": [{}]}                                                     | needs \"url\"",
        "{\"relays\": [{\"url\": \"https://o/live\"}]}                          | plain http",
        "{\"relays\": [{\"url\": \"http://o/\"}]}                               | must end in a mount path",
        "{\"relays\": [{\"url\": \"http://u:p@o/live\"}]}                       | no user",
        "{\"relays\": [{\"url\": \"http://o/live\", \"mount\": \"live\"}]}      | relay \"mount\" \"live\" is not a valid mount",
        "{\"relays\": [{\"url\": \"http://o/a\", \"mount\": \"/x\"}, {\"url\": \"http://p/x\"}]} | /x is listed twice",
        "{\"relays\": [{\"url\": \"http://o/a\", \"username\": \"u\"}]}         | go together",
        "{\"relays\": [{\"url\": \"http://o/a\", \"grace_seconds\": -1}]}       | \"grace_seconds\" must be a whole number",
        "{\"relays\": [{\"url\": \"http://o/a\", \"metadata\": \"yes\"}]}       | \"metadata\" must be true or false",
        "{\"relays\": [{\"url\": \"http://o/a\", \"mont\": \"/b\"}]}            | unknown key \"relays[].mont\"",
        "{\"master\": []}                                                       | \"master\" must be a JSON object",
        "{\"master\": {\"url\": \"http://o:8000/live\"}}                        | no path",
        "{\"master\": {\"url\": \"http://o\", \"interval\": 0}}                 | \"interval\" must be a whole number",
        "{\"master\": {\"url\": \"http://o\", \"user\": \"x\"}}                 | unknown key \"master.user\"",
        "{\"master\": {\"url\": \"http://o\", \"public_url\": \"http://e/live\"}} | \"public_url\" must look like http://host:port",
        "{\"master\": {\"url\": \"http://o\", \"public_url\": \"https://e\"}}  | \"public_url\" must look like",
        "{\"redirect_to\": \"http://e:8000\"}                                   | \"redirect_to\" must be a JSON list",
        "{\"redirect_to\": [\"http://e:8000/live\"]}                            | \"redirect_to\" must look like http://host:port",
        "{\"redirect_to\": [\"http://u:p@e:8000\"]}                             | \"redirect_to\" must look like",
        "{\"relay_user\": \"a:b\"}                                               | \"relay_user\" must be",
    })
    void mistakesAreNamedWithTheirLine(String json, String expected) {
        Exception e = assertThrows(InvalidConfigurationException.class, () -> load("\n" + json));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
