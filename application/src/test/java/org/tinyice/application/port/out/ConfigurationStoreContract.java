package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.AccessLogSettings;
import org.tinyice.application.config.AddressLists;
import org.tinyice.application.config.AddressRange;
import org.tinyice.application.config.ApiToken;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Retention;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;

/**
 * What every {@link ConfigurationStore} must do. An adapter's test extends this class and says how to
 * make an empty store; the tests here then run against that adapter.
 *
 * <p>Durations are whole seconds and secrets are Argon2id PHC strings, because that is all the
 * configuration file can hold.
 */
public abstract class ConfigurationStoreContract {

    /** Hashes as {@code Argon2PasswordHasher} writes them (the values need not verify anything here). */
    protected static final Secret ADMIN_HASH = new Secret.Hashed(
            "$argon2id$v=19$m=19456,t=2,p=1$YWRtaW5zYWx0YWRtaW5zYQ$3mJx1cN3aJ0m3z1Yb8Qv0cJ6rJm2m3J5xq3wq0rYk1E");
    protected static final Secret SOURCE_HASH = new Secret.Hashed(
            "$argon2id$v=19$m=19456,t=2,p=1$c291cmNlc2FsdHNvdXJjZQ$Yk1Ex3mJx1cN3aJ0m3z1Yb8Qv0cJ6rJm2m3J5xq3wq0");
    protected static final Secret MOUNT_HASH = new Secret.Hashed(
            "$argon2id$v=19$m=1024,t=1,p=1$bW91bnRzYWx0bW91bnRzYQ$cN3aJ0m3z1Yb8Qv0cJ6rJm2m3J5xq3wq0rYk1Ex3mJx");

    /** A new store that holds no configuration yet. */
    protected abstract ConfigurationStore newStore();

    /** A configuration that uses every field, with values other than the defaults. */
    protected static ServerConfig richConfig() {
        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        // password, own burst size, a fallback, a name, not listed
        mounts.put("/live", new MountConfig("/live", Optional.of(MOUNT_HASH), 250, Optional.of(131_072),
                Optional.of("/fallback.ogg"), true, false, false, Optional.of("Live from the studio")));
        // no password, no burst size, no fallback, hidden, no name; the pace of its file
        mounts.put("/fallback.ogg", new MountConfig("/fallback.ogg", Optional.empty(), 0, Optional.empty(),
                Optional.empty(), false, true, true, Optional.empty(), ListenerAuth.NONE, Optional.of(96), true));
        // a burst size of zero is a value, not "use the default"
        mounts.put("/radio/low-128_k~1", new MountConfig("/radio/low-128_k~1", Optional.empty(), 10,
                Optional.of(0), Optional.of("/live"), false, true, false,
                Optional.of("Caf\u00e9 \"Z\u00fcrich\" \\ \u6771\u4eac \ud83c\udfb5\ttab")));
        mounts.put("/a", MountConfig.defaultsFor("/a"));
        // taken off the air from the dashboard
        mounts.put("/off", MountConfig.defaultsFor("/off").withEnabled(false));
        // only the studio's addresses may reach it
        mounts.put("/studio", MountConfig.defaultsFor("/studio").withAllowedIps(List.of(
                AddressRange.parse("192.0.2.0/24", "allowed_ips"), AddressRange.parse("2001:db8::5", "allowed_ips"))));
        return new ServerConfig("127.0.0.1", 8443, "radio.example.org", "M\u00fcnchen, \"DE\"",
                "ops@example.org", "boss", Optional.of(ADMIN_HASH), Optional.of(SOURCE_HASH),
                new Limits(500, 4, 131_072, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(250),
                        12, true, 40), mounts,
                ServerConfig.AddressPrivacy.FULL,
                new Retention(Duration.ofDays(30), Duration.ofDays(14), Duration.ofDays(2), Duration.ofDays(3650)),
                List.of(), DashboardSettings.DEFAULTS, List.of(), new AccessLogSettings(1_048_576, 9))
                .withUsers(List.of(new UserAccount("dj.anna",
                        MOUNT_HASH, UserAccount.Role.DJ, Set.of("/live"))))
                .withApiTokens(List.of(
                        new ApiToken("k3Xa9_Qz", "playlist \"script\"", "dj.anna",
                                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                Instant.parse("2026-11-24T09:00:00Z")),
                        new ApiToken("b00t5trap", "", "boss",
                                "f".repeat(64), Instant.parse("2026-01-01T00:00:00.123Z"))))
                .withAddressLists(new AddressLists(
                        List.of(AddressRange.parse("203.0.113.7", "banned_ips"),
                                AddressRange.parse("2001:db8:bad::/48", "banned_ips")),
                        List.of(AddressRange.parse("0.0.0.0/0", "allowed_ips")),
                        List.of(AddressRange.parse("10.0.0.1", "trusted_proxies"),
                                AddressRange.parse("::1", "trusted_proxies"))));
    }

    @Test
    void holdsNothingBeforeTheFirstSave() {
        assertEquals(Optional.empty(), newStore().load());
    }

    @Test
    void loadsWhatWasSaved() {
        ConfigurationStore store = newStore();
        ServerConfig config = richConfig();

        store.save(config);

        assertEquals(Optional.of(config), store.load());
    }

    @Test
    void loadsTheSameAgainAndAgain() {
        ConfigurationStore store = newStore();
        store.save(richConfig());

        assertEquals(store.load(), store.load());
    }

    @Test
    void keepsEachMountAndItsSettings() {
        ConfigurationStore store = newStore();
        ServerConfig config = richConfig();
        store.save(config);

        ServerConfig loaded = store.load().orElseThrow();

        assertEquals(config.limits(), loaded.limits());
        assertEquals(config.adminPassword(), loaded.adminPassword());
        assertEquals(config.sourcePassword(), loaded.sourcePassword());
        for (MountConfig mount : config.mounts().values()) {
            assertEquals(mount, loaded.mounts().get(mount.path()), mount.path());
        }
    }

    @Test
    void keepsTheMountsInTheirOrder() {
        ConfigurationStore store = newStore();
        store.save(richConfig());

        assertEquals(List.of("/live", "/fallback.ogg", "/radio/low-128_k~1", "/a", "/off", "/studio"),
                List.copyOf(store.load().orElseThrow().mounts().keySet()));
    }

    @Test
    void savesTheDefaults() {
        ConfigurationStore store = newStore();

        store.save(ServerConfig.defaults());

        assertEquals(Optional.of(ServerConfig.defaults()), store.load());
    }

    @Test
    void keepsOnlyTheLatestSave() {
        ConfigurationStore store = newStore();
        store.save(richConfig());
        ServerConfig second = ServerConfig.defaults().withListenAddress("::1", 9000);

        store.save(second);

        assertEquals(Optional.of(second), store.load());
    }

    @Test
    void aLaterSaveCanRemoveSecretsAndMounts() {
        ConfigurationStore store = newStore();
        ServerConfig rich = richConfig();
        store.save(rich);
        ServerConfig fewer = rich.withCredentials("admin", Optional.empty(), Optional.empty(),
                Map.of("/live", MountConfig.defaultsFor("/live")));

        store.save(fewer);

        ServerConfig loaded = store.load().orElseThrow();
        assertEquals(fewer, loaded);
        assertEquals(Optional.empty(), loaded.adminPassword());
        assertEquals(List.of("/live"), List.copyOf(loaded.mounts().keySet()));
    }

    @Test
    void saysWhereItIs() {
        String location = newStore().location();

        assertNotNull(location);
        assertFalse(location.isBlank());
    }

    @Test
    void staysInOnePlaceAcrossSaves() {
        ConfigurationStore store = newStore();
        String before = store.location();

        store.save(richConfig());

        assertEquals(before, store.location());
    }
}
