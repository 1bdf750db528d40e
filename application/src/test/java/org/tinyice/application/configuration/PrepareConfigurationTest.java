package org.tinyice.application.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.configuration.PrepareConfiguration.EnvironmentCredentials;
import org.tinyice.application.configuration.PrepareConfiguration.Prepared;
import org.tinyice.application.fixtures.FakePasswordHasher;
import org.tinyice.application.port.out.ConfigurationStore;

class PrepareConfigurationTest {

    /** Keeps the configuration in memory and counts saves. */
    private static final class InMemoryStore implements ConfigurationStore {
        private Optional<ServerConfig> stored = Optional.empty();
        private int saves;

        @Override
        public Optional<ServerConfig> load() {
            return stored;
        }

        @Override
        public void save(ServerConfig config) {
            stored = Optional.of(config);
            saves++;
        }

        @Override
        public String location() {
            return "memory:tinyice.json";
        }
    }

    private final InMemoryStore store = new InMemoryStore();
    private final FakePasswordHasher hasher = new FakePasswordHasher();
    private final PrepareConfiguration prepare = new PrepareConfiguration(store, hasher);

    private static String generated(List<String> notices, String pattern) {
        Pattern regex = Pattern.compile(pattern);
        for (String notice : notices) {
            Matcher match = regex.matcher(notice);
            if (match.find()) {
                return match.group(1);
            }
        }
        throw new AssertionError("no notice matches " + pattern + " in " + notices);
    }

    private String encoded(Optional<Secret> secret) {
        Secret.Hashed hashed = assertInstanceOf(Secret.Hashed.class, secret.orElseThrow());
        assertTrue(hasher.isHash(hashed.encoded()));
        return hashed.encoded();
    }

    private static EnvironmentCredentials env(String user, String admin, String source) {
        return new EnvironmentCredentials(Optional.ofNullable(user), Optional.ofNullable(admin),
                Optional.ofNullable(source));
    }

    @Test
    void theFirstStartCreatesTheConfigurationWithGeneratedPasswords() {
        Prepared prepared = prepare.prepare(EnvironmentCredentials.none());

        assertEquals(1, store.saves);
        assertEquals(prepared.config(), store.stored.orElseThrow());
        assertTrue(prepared.notices().stream().anyMatch(n -> n.contains("memory:tinyice.json")));

        String admin = generated(prepared.notices(), "admin credentials: user 'admin', password '([^']+)'");
        String source = generated(prepared.notices(), "source password: '([^']+)'");
        assertEquals(24, admin.length());
        assertEquals(24, source.length());
        assertNotEquals(admin, source);
        assertEquals("admin", prepared.config().adminUser());
        assertTrue(hasher.verify(admin, encoded(prepared.config().adminPassword())));
        assertTrue(hasher.verify(source, encoded(prepared.config().sourcePassword())));
    }

    @Test
    void rightAfterTheGeneratedPasswordsTheOperatorIsToldWhereTheyAreKeptAndThatTheyAreNotShownAgain() {
        List<String> notices = prepare.prepare(EnvironmentCredentials.none()).notices();

        int admin = indexOf(notices, "Generated admin credentials: user 'admin', password '");
        int source = indexOf(notices, "Generated source password: '");
        assertEquals(admin + 1, source);
        String where = notices.get(source + 1);
        assertTrue(where.contains("memory:tinyice.json") && where.contains("Argon2id")
                && where.contains("not shown again"), where);
        assertEquals(1, notices.stream().filter(n -> n.contains("not shown again")).count());
    }

    @Test
    void aGeneratedSourcePasswordAloneGetsTheNoticeToo() {
        List<String> notices = prepare.prepare(env(null, "env-admin", null)).notices();

        int source = indexOf(notices, "Generated source password: '");
        assertTrue(notices.get(source + 1).contains("not shown again"), notices.toString());
    }

    private static int indexOf(List<String> notices, String start) {
        for (int i = 0; i < notices.size(); i++) {
            if (notices.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("no notice starting with " + start + ": " + notices);
    }

    @Test
    void aSecondStartKeepsTheStoredPasswordsWithoutSavingOrNotices() {
        Prepared first = prepare.prepare(EnvironmentCredentials.none());
        Prepared second = prepare.prepare(EnvironmentCredentials.none());
        assertEquals(1, store.saves);
        assertEquals(List.of(), second.notices());
        assertEquals(first.config(), second.config());
    }

    @Test
    void environmentCredentialsWinAndAreStoredHashed() {
        Prepared prepared = prepare.prepare(env("boss", "env-admin", "env-source"));

        assertEquals(1, store.saves);
        assertEquals("boss", prepared.config().adminUser());
        assertTrue(hasher.verify("env-admin", encoded(prepared.config().adminPassword())));
        assertTrue(hasher.verify("env-source", encoded(prepared.config().sourcePassword())));
        assertFalse(prepared.notices().stream().anyMatch(n -> n.contains("Generated")), prepared.notices().toString());
        assertFalse(prepared.notices().stream().anyMatch(n -> n.contains("env-admin") || n.contains("env-source")),
                "passwords the operator chose are never echoed");
    }

    @Test
    void theSameEnvironmentAgainDoesNotSaveAgain() {
        prepare.prepare(env("boss", "env-admin", "env-source"));
        int hashesBefore = hasher.hashes.get();
        Prepared again = prepare.prepare(env("boss", "env-admin", "env-source"));

        assertEquals(1, store.saves);
        assertEquals(hashesBefore, hasher.hashes.get(), "a matching stored hash is kept, not re-hashed");
        assertEquals(List.of(), again.notices());
        assertTrue(hasher.verify("env-admin", encoded(again.config().adminPassword())));
    }

    @Test
    void aChangedEnvironmentPasswordReplacesTheStoredOne() {
        prepare.prepare(env(null, "old", null));
        Prepared changed = prepare.prepare(env(null, "new", null));
        assertEquals(2, store.saves);
        assertTrue(hasher.verify("new", encoded(changed.config().adminPassword())));
        assertFalse(hasher.verify("old", encoded(store.stored.orElseThrow().adminPassword())));
    }

    @Test
    void onlyTheAdminPasswordFromTheEnvironmentStillGeneratesTheSourcePassword() {
        Prepared prepared = prepare.prepare(env(null, "env-admin", null));
        assertTrue(hasher.verify("env-admin", encoded(prepared.config().adminPassword())));
        String source = generated(prepared.notices(), "source password: '([^']+)'");
        assertTrue(hasher.verify(source, encoded(prepared.config().sourcePassword())));
        assertFalse(prepared.notices().stream().anyMatch(n -> n.contains("admin credentials")));
    }

    @Test
    void plaintextPasswordsTypedIntoTheFileAreRewrittenHashed() {
        MountConfig typedMount = MountConfig.defaultsFor("/live").withPassword(new Secret.Plain("typed-mount"));
        MountConfig plainless = MountConfig.defaultsFor("/other");
        store.stored = Optional.of(ServerConfig.defaults().withCredentials("admin",
                Optional.of(new Secret.Plain("typed-admin")), Optional.of(new Secret.Plain("typed-source")),
                Map.of("/live", typedMount, "/other", plainless)));

        Prepared prepared = prepare.prepare(EnvironmentCredentials.none());

        assertEquals(1, store.saves);
        ServerConfig saved = store.stored.orElseThrow();
        assertEquals(prepared.config(), saved);
        assertTrue(hasher.verify("typed-admin", encoded(saved.adminPassword())));
        assertTrue(hasher.verify("typed-source", encoded(saved.sourcePassword())));
        assertTrue(hasher.verify("typed-mount", encoded(saved.mount("/live").password())));
        assertTrue(saved.mount("/other").password().isEmpty(), "a mount without a password keeps none");
        assertFalse(prepared.notices().stream().anyMatch(n -> n.contains("Generated")));
    }

    @Test
    void aPlaintextMountPasswordAloneIsRewrittenAndSaved() {
        store.stored = Optional.of(ServerConfig.defaults().withCredentials("admin",
                Optional.of(FakePasswordHasher.hashed("a")), Optional.of(FakePasswordHasher.hashed("s")),
                Map.of("/live", MountConfig.defaultsFor("/live").withPassword(new Secret.Plain("typed-mount")))));

        prepare.prepare(EnvironmentCredentials.none());

        assertEquals(1, store.saves);
        assertTrue(hasher.verify("typed-mount", encoded(store.stored.orElseThrow().mount("/live").password())));
        assertEquals(FakePasswordHasher.hashed("a"), store.stored.orElseThrow().adminPassword().orElseThrow());
    }

    @Test
    void aPlaintextRelayPasswordIsRewrittenHashedAndNoneIsGenerated() {
        ServerConfig hashedOthers = ServerConfig.defaults().withCredentials("admin",
                Optional.of(FakePasswordHasher.hashed("a")), Optional.of(FakePasswordHasher.hashed("s")), Map.of());
        store.stored = Optional.of(hashedOthers.withRelayAccount("edge", Optional.of(new Secret.Plain("typed-relay"))));

        prepare.prepare(EnvironmentCredentials.none());

        assertEquals(1, store.saves);
        assertEquals("edge", store.stored.orElseThrow().relayUser());
        assertTrue(hasher.verify("typed-relay", encoded(store.stored.orElseThrow().relayPassword())));

        store.stored = Optional.of(hashedOthers);
        assertEquals(Optional.empty(), prepare.prepare(EnvironmentCredentials.none()).config().relayPassword(),
                "without a relay password only the admin lists the streams");
    }

    @Test
    void aStoredConfigurationThatIsReadyIsNotSaved() {
        ServerConfig ready = ServerConfig.defaults().withCredentials("admin",
                Optional.of(FakePasswordHasher.hashed("a")), Optional.of(FakePasswordHasher.hashed("s")),
                Map.of("/live", MountConfig.defaultsFor("/live").withPassword(FakePasswordHasher.hashed("m"))));
        store.stored = Optional.of(ready);

        Prepared prepared = prepare.prepare(EnvironmentCredentials.none());

        assertEquals(0, store.saves);
        assertEquals(ready, prepared.config());
        assertEquals(List.of(), prepared.notices());
    }

    @Test
    void anAdminUserFromTheEnvironmentIsSavedWhenItDiffers() {
        prepare.prepare(EnvironmentCredentials.none());
        Prepared renamed = prepare.prepare(env("boss", null, null));
        assertEquals(2, store.saves);
        assertEquals("boss", renamed.config().adminUser());
        assertEquals("boss", store.stored.orElseThrow().adminUser());
    }
}
