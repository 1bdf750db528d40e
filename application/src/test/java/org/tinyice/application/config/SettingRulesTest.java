package org.tinyice.application.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The configuration records refuse what the file and the dashboard must not hold, naming the setting. */
class SettingRulesTest {

    private static final Secret PASSWORD = new Secret.Hashed("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA");

    @Test
    void limitsOutsideTheirRangeAreRefusedNamingTheKey() {
        Limits d = Limits.DEFAULT;
        refused(() -> new Limits(Limits.MAX_LISTENERS + 1, 1, 0, d.sourceIdleTimeout(), d.headerTimeout()),
                List.of("max_listeners"), "from 0 to 10000000", "not 10000001");
        refused(() -> new Limits(1, -1, 0, d.sourceIdleTimeout(), d.headerTimeout()), List.of("max_sources"), "not -1");
        refused(() -> new Limits(1, 1, 0, Duration.ZERO, d.headerTimeout()), List.of("source_timeout"), "from 1 to 86400");
        refused(() -> d.withChunkDelay(Duration.ofMillis(5_001)), List.of("chunk_ms"), "from 0 to 5000");
        assertDoesNotThrow(() -> d.withChunkDelay(Duration.ZERO));
    }

    @Test
    void theListenPortIsAPort() {
        ServerConfig d = ServerConfig.defaults();
        refused(() -> d.withListenAddress("::", 65_536), List.of("port"), "from 0 to 65535", "not 65536");
        assertEquals(0, d.withListenAddress("::", 0).port(), "0: any free port");
    }

    @Test
    void aShoutcastPortHasAValidMountAndAPortOfItsOwn() {
        refused(() -> new ShoutcastConfig(Optional.empty(), "live"), List.of("mount"), "\"live\"");
        refused(() -> new ShoutcastConfig(Optional.of(70_000), "/live"), List.of("port"), "not 70000");
        ServerConfig d = ServerConfig.defaults(); // port 8000
        assertEquals(8001, new ShoutcastConfig(Optional.empty(), "/live").portFor(d.port()), "left out: port + 1");
        refused(() -> d.withShoutcast(List.of(new ShoutcastConfig(Optional.of(8000), "/live"))),
                List.of("shoutcast"), "8000", "the server's port");
        refused(() -> d.withShoutcast(List.of(new ShoutcastConfig(Optional.empty(), "/a"),
                new ShoutcastConfig(Optional.of(8001), "/b"))), List.of("shoutcast"), "8001", "another");
        refused(() -> d.withShoutcast(List.of(new ShoutcastConfig(Optional.of(9000), "/a"),
                new ShoutcastConfig(Optional.of(9001), "/a"))), List.of("shoutcast"), "/a", "twice");
        refused(() -> d.withListenAddress("::", 65_535).withShoutcast(
                List.of(new ShoutcastConfig(Optional.empty(), "/a"))), List.of("shoutcast"), "65536");
        assertDoesNotThrow(() -> d.withShoutcast(List.of(new ShoutcastConfig(Optional.of(0), "/a"),
                new ShoutcastConfig(Optional.of(0), "/b"))), "0 is a free port for each");
    }

    @Test
    void aMountsSettingsAreCheckedWhereverTheyComeFrom() {
        refused(() -> mount("/live", -1, Optional.empty(), Optional.empty()), List.of("max_listeners"), "not -1");
        refused(() -> mount("/live", 0, Optional.of(Limits.MAX_BURST_SIZE + 1), Optional.empty()),
                List.of("burst_size"), "from 0 to 16777216");
        refused(() -> mount("/live", 0, Optional.empty(), Optional.of("/live")), List.of("fallback"), "itself");
        refused(() -> mount("/live", 0, Optional.empty(), Optional.of("jazz")), List.of("fallback"),
                "\"jazz\"", "not a valid mount");
        refused(() -> MountConfig.defaultsFor("/a").withAuth(new ListenerAuth.UrlHook(URI.create("https://x/add"),
                Optional.empty(), Duration.ofSeconds(301), false)), List.of("timeout"), "from 1 to 300");
        refused(() -> new ListenerAuth.UrlHook(URI.create("ftp://x/add"), Optional.empty(), Duration.ofSeconds(5),
                false), List.of("listener_add"), "http(s)");
        assertDoesNotThrow(() -> mount("/live", 0, Optional.of(0), Optional.of("/night.mp3")));
    }

    @Test
    void aMountPlayedFromAFileHasABitrateAnEncoderCouldSend() {
        refused(() -> new MountConfig("/loop.ogg", Optional.empty(), 0, Optional.empty(), Optional.empty(), false,
                true, false, Optional.empty(), ListenerAuth.NONE, Optional.of(4), true),
                List.of("file_bitrate"), "from 8 to 10000", "not 4");
    }

    @Test
    void aUserNameAndItsMountsFollowOneRule() {
        refused(() -> new UserAccount("dj anna", PASSWORD, UserAccount.Role.DJ, Set.of()), List.of("name"),
                "1 to 64 letters", "\"dj anna\"");
        refused(() -> new UserAccount("x".repeat(65), PASSWORD, UserAccount.Role.DJ, Set.of()), List.of("name"));
        refused(() -> new UserAccount("anna", PASSWORD, UserAccount.Role.DJ, Set.of("/ok", "live")),
                List.of("mounts"), "\"live\"");
        assertEquals(Optional.empty(), UserAccount.nameProblem("dj.anna@radio-1"));
        assertTrue(UserAccount.nameProblem(null).isPresent());
    }

    @Test
    void anApiTokenHasAnIdAndAHashOfTheRightShape() {
        refused(() -> new ApiToken("abc", "", "anna", "a".repeat(64), Instant.EPOCH), List.of("id"), "4 to 32");
        refused(() -> new ApiToken("abcd1234", "", "anna", "ABC", Instant.EPOCH), List.of("sha256"), "abcd1234");
    }

    @Test
    void hoursMadeFromMinutesAreKeptAtLeastAsLongNamingBothKeys() {
        Duration day = Duration.ofDays(1);
        refused(() -> new Retention(day, day, Duration.ofDays(30), Duration.ofDays(10)),
                List.of("hourly_sample_days", "minute_sample_days"), "(10)", "(30)");
        refused(() -> new Retention(Duration.ofDays(Retention.MAX_DAYS + 1), day, day, day), List.of("song_play_days"));
    }

    @Test
    void dashboardAndAccessLogSettingsNameTheirKeys() {
        refused(() -> new DashboardSettings(0, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofHours(1)),
                List.of("max_failed_logins"), "from 1 to 1000");
        refused(() -> new DashboardSettings(5, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofDays(366)),
                List.of("session_max_hours"), "not 8784");
        refused(() -> new AccessLogSettings(-1, 5), List.of("max_bytes"));
        refused(() -> new AccessLogSettings(0, 0), List.of("files"), "\"files\"", "from 1 to 1000");
    }

    private static MountConfig mount(String path, int maxListeners, Optional<Integer> burst, Optional<String> fallback) {
        return new MountConfig(path, Optional.empty(), maxListeners, burst, fallback, false, true, false,
                Optional.empty());
    }

    private static void refused(Executable make, List<String> settings, String... words) {
        InvalidSettingException refused = assertThrows(InvalidSettingException.class, make);
        assertEquals(settings, refused.settings());
        assertTrue(refused.getMessage().contains(settings.getFirst()), refused.getMessage());
        for (String word : words) {
            assertTrue(refused.getMessage().contains(word), "says \"" + word + "\": " + refused.getMessage());
        }
    }
}
