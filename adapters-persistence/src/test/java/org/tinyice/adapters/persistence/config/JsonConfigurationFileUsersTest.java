package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;

/** The dashboard's part of {@code tinyice.json}: the {@code "users"} list and the {@code "dashboard"} settings. */
class JsonConfigurationFileUsersTest {

    @TempDir
    Path dir;

    ServerConfig load(String json) throws IOException {
        Path file = dir.resolve("tinyice.json");
        Files.writeString(file, json);
        return new JsonConfigurationFile(file, new Argon2PasswordHasher(1024, 1, 1)).load().orElseThrow();
    }

    @Test
    void usersAndDashboardSettingsAreReadAndDefaultWhenAbsent() throws IOException {
        assertEquals(List.of(), load("{}").users());
        assertEquals(DashboardSettings.DEFAULTS, load("{}").dashboard());
        ServerConfig config = load("""
                {
                  "users": [
                    {"name": "anna", "password": "typed-in", "role": "dj", "mounts": ["/anna", "/late"]},
                    {"name": "boss", "password": "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "role": "admin"}
                  ],
                  "dashboard": {"max_failed_logins": 3, "lockout_minutes": 60, "session_idle_minutes": 10,
                                "session_max_hours": 2}
                }
                """);
        assertEquals(List.of(
                new UserAccount("anna", new Secret.Plain("typed-in"), Role.DJ, Set.of("/anna", "/late")),
                new UserAccount("boss", new Secret.Hashed("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"),
                        Role.ADMIN, Set.of())), config.users());
        assertEquals(new DashboardSettings(3, Duration.ofMinutes(60), Duration.ofMinutes(10), Duration.ofHours(2)),
                config.dashboard());
    }

    @Test
    void whatIsWrittenIsReadBackTheSame() throws IOException {
        ServerConfig config = ServerConfig.defaults().withUsers(List.of(
                new UserAccount("anna", new Secret.Hashed("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA"), Role.DJ,
                        Set.of("/b", "/a")),
                new UserAccount("boss", new Secret.Hashed("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA"), Role.ADMIN,
                        Set.of())));
        Path file = dir.resolve("tinyice.json");
        JsonConfigurationFile store = new JsonConfigurationFile(file, new Argon2PasswordHasher(1024, 1, 1));
        store.save(config);
        assertEquals(config, store.load().orElseThrow());
        assertTrue(Files.readString(file).contains("\"dashboard\": {"), Files.readString(file));
    }

    @Test
    void mistakesAreRefusedWithTheirLine() {
        refused("""
                {"users": {"anna": "x"}}
                """, "line 1", "must be a JSON list");
        refused("""
                {"users": [
                  {"name": "anna", "password": "x", "role": "boss"}
                ]}
                """, "line 2", "\"role\" must be \"admin\" or \"dj\"");
        refused("""
                {"users": [
                  {"name": "anna", "password": "x"},
                  {"name": "anna", "password": "y"}
                ]}
                """, "line 3", "listed twice");
        refused("""
                {"users": [
                  {"name": "admin", "password": "x"}
                ]}
                """, "line 2", "listed twice");
        refused("""
                {"users": [
                  {"name": "anna"}
                ]}
                """, "line 2", "needs a \"password\"");
        refused("""
                {"users": [
                  {"name": "anna", "password": "x", "mounts": ["live"]}
                ]}
                """, "line 2", "mount paths");
        refused("""
                {"users": [{"name": "anna", "password": "x", "colour": "red"}]}
                """, "line 1", "unknown key \"users[].colour\"");
        refused("""
                {"dashboard": {"max_failed_logins": 0}}
                """, "line 1", "\"max_failed_logins\" must be a whole number from 1");
    }

    private void refused(String json, String line, String message) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> load(json));
        assertTrue(e.getMessage().contains(line) && e.getMessage().contains(message), e.getMessage());
    }
}
