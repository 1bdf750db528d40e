package org.tinyice.adapters.persistence.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tinyice.adapters.persistence.security.Argon2PasswordHasher;
import org.tinyice.application.config.AccessLogSettings;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Retention;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.ShoutcastConfig;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;
import org.tinyice.application.port.out.PasswordHasher;

class JsonConfigurationFileTest {

    private static final PasswordHasher HASHER = new Argon2PasswordHasher(1024, 1, 1);
    private static final String A_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

    @TempDir
    Path dir;

    private Path file;
    private JsonConfigurationFile store;

    @BeforeEach
    void setUp() {
        file = dir.resolve("tinyice.json");
        store = new JsonConfigurationFile(file, HASHER);
    }

    // ---- reading valid files ----

    @Test
    void anEmptyObjectIsAllDefaults() throws IOException {
        assertEquals(ServerConfig.defaults(), load("{}"));
        assertEquals(ServerConfig.defaults(), load("""
                {
                  "limits": {},
                  "mounts": {}
                }
                """));
    }

    @Test
    void aFileWithSomeKeysTakesDefaultsForTheRest() throws IOException {
        ServerConfig loaded = load("""
                {
                  "port": 8100,
                  "limits": { "max_listeners": 100 },
                  "mounts": {
                    "/live": { "name": "Live" },
                    "/jazz": {}
                  }
                }
                """);

        ServerConfig d = ServerConfig.defaults();
        Limits l = Limits.DEFAULT;
        ServerConfig expected = new ServerConfig(d.host(), 8100, d.hostname(), d.location(), d.adminEmail(),
                d.adminUser(), Optional.empty(), Optional.empty(),
                new Limits(100, l.maxSources(), l.burstSize(), l.sourceIdleTimeout(), l.headerTimeout()),
                Map.of("/live", new MountConfig("/live", Optional.empty(), 0, Optional.empty(), Optional.empty(),
                                false, true, false, Optional.of("Live")),
                        "/jazz", MountConfig.defaultsFor("/jazz")));
        assertEquals(expected, loaded);
        assertEquals(List.of("/live", "/jazz"), List.copyOf(loaded.mounts().keySet()));
    }

    @Test
    void limitsWithoutTheObjectAreTheDefaultLimits() throws IOException {
        assertEquals(Limits.DEFAULT, load("{ \"host\": \"::\" }").limits());
    }

    @Test
    void readsEveryKey() throws IOException {
        ServerConfig loaded = load("""
                {
                  "host": "127.0.0.1",
                  "port": 8443,
                  "hostname": "radio.example.org",
                  "location": "Caf\\u00e9 \\"Z\\u00fcrich\\" \\ud83c\\udfb5",
                  "admin_email": "ops@example.org",
                  "admin_user": "boss",
                  "limits": {
                    "max_listeners": 500,
                    "max_sources": 4,
                    "burst_size": 131072,
                    "source_timeout": 30,
                    "header_timeout": 5
                  },
                  "mounts": {
                    "/live": {
                      "max_listeners": 250,
                      "burst_size": 0,
                      "fallback": "/jazz",
                      "fallback_override": true,
                      "public": false,
                      "hidden": true,
                      "name": "Live"
                    }
                  }
                }
                """);

        assertEquals(new ServerConfig("127.0.0.1", 8443, "radio.example.org", "Caf\u00e9 \"Z\u00fcrich\" \ud83c\udfb5",
                "ops@example.org", "boss", Optional.empty(), Optional.empty(),
                new Limits(500, 4, 131_072, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                Map.of("/live", new MountConfig("/live", Optional.empty(), 250, Optional.of(0), Optional.of("/jazz"),
                        true, false, true, Optional.of("Live")))), loaded);
    }

    @Test
    void aPlaintextPasswordLoadsAsPlainAndAHashAsHashed() throws IOException {
        ServerConfig loaded = load("""
                {
                  "admin_password": "hackme",
                  "source_password": "%s",
                  "mounts": {
                    "/live": { "password": "live-pw" },
                    "/jazz": { "password": "%s" }
                  }
                }
                """.formatted(A_HASH, A_HASH));

        assertEquals(Optional.of(new Secret.Plain("hackme")), loaded.adminPassword());
        assertEquals(Optional.of(new Secret.Hashed(A_HASH)), loaded.sourcePassword());
        assertEquals(Optional.of(new Secret.Plain("live-pw")), loaded.mount("/live").password());
        assertEquals(Optional.of(new Secret.Hashed(A_HASH)), loaded.mount("/jazz").password());
    }

    @Test
    void windowsLineEndingsAndTabsAreFine() throws IOException {
        assertEquals(8100, load("{\r\n\t\"port\": 8100,\r\n\t\"mounts\": {\"/live\": {}}\r\n}\r\n").port());
    }

    @Test
    void aLowLatencyMountReadsItsBurstAndGatheringAndSavesBackEqual() throws IOException {
        ServerConfig loaded = load("""
                {
                  "mounts": {
                    "/talk": { "low_latency": true, "low_latency_burst_ms": 250, "low_latency_gather_ms": 0 },
                    "/music": { "low_latency": true },
                    "/plain": {}
                  }
                }
                """);

        assertEquals(new org.tinyice.application.config.LowLatency(true, java.time.Duration.ofMillis(250),
                java.time.Duration.ZERO), loaded.mount("/talk").lowLatency());
        assertEquals(org.tinyice.application.config.LowLatency.OFF.withEnabled(true), loaded.mount("/music").lowLatency());
        assertEquals(org.tinyice.application.config.LowLatency.OFF, loaded.mount("/plain").lowLatency());
        store.save(loaded);
        assertEquals(Optional.of(loaded), store.load());
    }

    @Test
    void hlsLengthsAreReadSavedBackEqualAndLeftOutOfFilesThatNeverSetThem() throws IOException {
        ServerConfig loaded = load("{ \"hls\": { \"segment_seconds\": 2, \"window_seconds\": 30 } }");
        assertEquals(new org.tinyice.application.config.HlsSettings(2, 30), loaded.hls());
        store.save(loaded);
        assertEquals(Optional.of(loaded), store.load());
        assertEquals(new org.tinyice.application.config.HlsSettings(4, 30),
                load("{ \"hls\": { \"window_seconds\": 30 } }").hls());

        store.save(ServerConfig.defaults());
        assertFalse(java.nio.file.Files.readString(file).contains("\"hls\""), "defaults are not written");
        assertEquals(org.tinyice.application.config.HlsSettings.DEFAULTS, store.load().orElseThrow().hls());
    }

    @Test
    void aMountPlayedFromAFileMayHaveItsOwnBitrate() throws IOException {
        ServerConfig loaded = load("""
                {
                  "mounts": {
                    "/live": { "fallback": "/night.ogg" },
                    "/night.ogg": { "file_bitrate": 96 }
                  }
                }
                """);

        assertEquals(Optional.of(96), loaded.mount("/night.ogg").fileBitrate());
        assertEquals(Optional.empty(), loaded.mount("/live").fileBitrate());
        assertTrue(loaded.isFallback("/night.ogg"));
        assertFalse(loaded.isFallback("/live"));
    }

    @Test
    void readsTheHistoryRetentionInDays() throws IOException {
        ServerConfig loaded = load("""
                {
                  "history": {
                    "song_play_days": 30,
                    "listener_session_days": 14,
                    "minute_sample_days": 2,
                    "hourly_sample_days": 3650
                  }
                }
                """);

        assertEquals(new Retention(Duration.ofDays(30), Duration.ofDays(14), Duration.ofDays(2), Duration.ofDays(3650)),
                loaded.history());
    }

    @Test
    void readsTheConnectionLimitsAndTheAccessLogRotation() throws IOException {
        ServerConfig loaded = load("""
                {
                  "limits": {
                    "max_connections_per_address": 3,
                    "per_address_includes_loopback": true,
                    "max_sse_clients": 2
                  },
                  "access_log": { "max_bytes": 4096, "files": 2 }
                }
                """);

        assertEquals(3, loaded.limits().maxConnectionsPerAddress());
        assertTrue(loaded.limits().perAddressIncludesLoopback());
        assertEquals(2, loaded.limits().maxSseClients());
        assertEquals(new AccessLogSettings(4096, 2), loaded.accessLog());
    }

    @Test
    void connectionLimitsAndAccessLogKeysThatAreLeftOutKeepTheirDefaults() throws IOException {
        ServerConfig loaded = load("{ \"limits\": { \"max_listeners\": 5 }, \"access_log\": {} }");

        assertEquals(64, loaded.limits().maxConnectionsPerAddress());
        assertFalse(loaded.limits().perAddressIncludesLoopback(), "a reverse proxy on the same host is not limited");
        assertEquals(256, loaded.limits().maxSseClients());
        assertEquals(new AccessLogSettings(10 * 1024 * 1024, 5), loaded.accessLog());
        assertEquals(AccessLogSettings.DEFAULTS, load("{}").accessLog());
    }

    @Test
    void historyKeysThatAreLeftOutKeepTheirDefaults() throws IOException {
        Retention d = Retention.DEFAULTS;
        assertEquals(Retention.DEFAULTS, load("{}").history());
        assertEquals(Retention.DEFAULTS, load("{ \"history\": {} }").history());
        assertEquals(new Retention(Duration.ofDays(400), d.listenerSessions(), d.minuteSamples(), d.hourlySamples()),
                load("{ \"history\": { \"song_play_days\": 400 } }").history());
        // minutes kept longer than the default hours only works if the hours are raised with them
        assertEquals(new Retention(d.songPlays(), d.listenerSessions(), Duration.ofDays(30), Duration.ofDays(30)),
                load("{ \"history\": { \"minute_sample_days\": 30, \"hourly_sample_days\": 30 } }").history());
    }

    @Test
    void shoutcastIsOneObjectOrAListAndItsPortDefaultsToTheServersPlusOne() throws IOException {
        ServerConfig one = load("{\"port\": 9000, \"shoutcast\": {\"mount\": \"/live\"}}");
        assertEquals(List.of(new ShoutcastConfig(Optional.empty(), "/live")), one.shoutcast());
        assertEquals(9001, one.shoutcast().getFirst().portFor(one.port()));
        ServerConfig two = load("""
                {"shoutcast": [{"port": 8101, "mount": "/a"}, {"port": 8102, "mount": "/b"}]}
                """);
        assertEquals(List.of(new ShoutcastConfig(Optional.of(8101), "/a"), new ShoutcastConfig(Optional.of(8102), "/b")),
                two.shoutcast());
        assertEquals(List.of(), load("{}").shoutcast());
    }

    @Test
    void shoutcastPortsAreWrittenAndLoadBackEqual() {
        ServerConfig config = configWithHashedSecrets().withShoutcast(List.of(
                new ShoutcastConfig(Optional.empty(), "/live"), new ShoutcastConfig(Optional.of(8201), "/jazz")));

        store.save(config);

        assertEquals(Optional.of(config), new JsonConfigurationFile(file, HASHER).load());
    }

    @Test
    void aMissingFileIsNoConfigurationYet() {
        assertEquals(Optional.empty(), store.load());
        assertEquals(Optional.empty(),
                new JsonConfigurationFile(dir.resolve("no/such/dir/tinyice.json"), HASHER).load());
    }

    // ---- refusing malformed files ----

    /** A malformed file, the line its problem is on, and words the message must hold. */
    record Malformed(String name, byte[] content, int line, List<String> words) {
        static Malformed of(String name, String text, int line, String... words) {
            return new Malformed(name, text.getBytes(StandardCharsets.UTF_8), line, List.of(words));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformedFiles() {
        return Stream.of(
                Malformed.of("missing comma", """
                        {
                          "host": "0.0.0.0"
                          "port": 8000
                        }
                        """, 3, "','"),
                Malformed.of("missing comma inside a mount", """
                        {
                          "port": 8000,
                          "mounts": {
                            "/live": {
                              "public": true
                              "hidden": false
                            }
                          }
                        }
                        """, 6, "','"),
                Malformed.of("trailing comma", """
                        {
                          "port": 8000,
                        }
                        """, 3, "key"),
                Malformed.of("trailing garbage", """
                        {
                          "port": 8000
                        }
                        }
                        """, 4, "after the end"),
                Malformed.of("trailing word", """
                        {
                          "port": 8000
                        }

                        oops
                        """, 5, "after the end"),
                Malformed.of("missing closing quote", """
                        {
                          "host": "0.0.0.0,
                          "port": 8000
                        }
                        """, 2, "quote"),
                Malformed.of("comment", """
                        {
                          // the port
                          "port": 8000
                        }
                        """, 2, "key"),
                Malformed.of("unquoted word", """
                        {
                          "host": localhost
                        }
                        """, 2, "unexpected character 'l'"),
                Malformed.of("empty file", "", 1, "end of file"),
                Malformed.of("cut short", """
                        {
                          "mounts": {
                            "/live": {
                        """, 4, "end of file"),
                Malformed.of("not an object", "[8000]\n", 1, "object"),
                Malformed.of("unknown top-level key", """
                        {
                          "host": "0.0.0.0",
                          "prot": 8000
                        }
                        """, 3, "unknown key", "\"prot\""),
                Malformed.of("unknown key, Windows line endings",
                        "{\r\n  \"host\": \"0.0.0.0\",\r\n  \"prot\": 8000\r\n}\r\n", 3, "\"prot\""),
                Malformed.of("unknown limits key", """
                        {
                          "port": 8000,
                          "limits": {
                            "max_listener": 10
                          }
                        }
                        """, 4, "unknown key", "max_listener"),
                Malformed.of("unknown mount key", """
                        {
                          "port": 8000,
                          "mounts": {
                            "/live": {
                              "pasword": "hackme"
                            }
                          }
                        }
                        """, 5, "unknown key", "pasword"),
                Malformed.of("port as a string", """
                        {
                          "host": "0.0.0.0",
                          "port": "8000"
                        }
                        """, 3, "\"port\"", "whole number"),
                Malformed.of("port too large", """
                        {
                          "host": "0.0.0.0",
                          "port": 70000
                        }
                        """, 3, "\"port\"", "70000"),
                Malformed.of("port negative", """
                        {
                          "port": -1
                        }
                        """, 2, "\"port\"", "-1"),
                Malformed.of("max_listeners not whole", """
                        {
                          "port": 8000,
                          "limits": {
                            "max_listeners": 1.5
                          }
                        }
                        """, 4, "max_listeners", "1.5"),
                Malformed.of("mount max_listeners not whole", """
                        {
                          "mounts": {
                            "/live": {
                              "max_listeners": 1.5
                            }
                          }
                        }
                        """, 4, "max_listeners", "1.5"),
                Malformed.of("source_timeout zero", """
                        {
                          "limits": {
                            "source_timeout": 0
                          }
                        }
                        """, 3, "source_timeout", "0"),
                Malformed.of("public as a string", """
                        {
                          "port": 8000,
                          "mounts": {
                            "/live": {
                              "public": "yes"
                            }
                          }
                        }
                        """, 5, "\"public\"", "true or false"),
                Malformed.of("host as a number", """
                        {
                          "host": 0
                        }
                        """, 2, "\"host\"", "string"),
                Malformed.of("max_connections_per_address negative", """
                        {
                          "limits": {
                            "max_connections_per_address": -1
                          }
                        }
                        """, 3, "max_connections_per_address", "-1"),
                Malformed.of("per_address_includes_loopback as a string", """
                        {
                          "limits": {
                            "per_address_includes_loopback": "yes"
                          }
                        }
                        """, 3, "per_address_includes_loopback", "true or false"),
                Malformed.of("access_log files zero", """
                        {
                          "access_log": {
                            "files": 0
                          }
                        }
                        """, 3, "\"files\"", "1 to 1000"),
                Malformed.of("hls window shorter than three segments", """
                        {
                          "hls": {
                            "segment_seconds": 10,
                            "window_seconds": 20
                          }
                        }
                        """, 4, "\"window_seconds\"", "30 to 600"),
                Malformed.of("unknown hls key", """
                        {
                          "hls": {
                            "segment": 4
                          }
                        }
                        """, 3, "hls.segment", "segment_seconds"),
                Malformed.of("unknown access_log key", """
                        {
                          "access_log": {
                            "max_size": 10
                          }
                        }
                        """, 3, "access_log.max_size", "max_bytes"),
                Malformed.of("access_log not an object", """
                        {
                          "access_log": true
                        }
                        """, 2, "access_log", "object"),
                Malformed.of("limits not an object", """
                        {
                          "port": 8000,
                          "limits": 5
                        }
                        """, 3, "limits", "object"),
                Malformed.of("mount without a slash", """
                        {
                          "mounts": {
                            "live": {}
                          }
                        }
                        """, 3, "\"live\"", "not a valid mount"),
                Malformed.of("mount climbing out", """
                        {
                          "mounts": {
                            "/ok": {},
                            "/../x": {}
                          }
                        }
                        """, 4, "\"/../x\"", "not a valid mount"),
                Malformed.of("mount with a space", """
                        {
                          "mounts": {
                            "/live dj": {}
                          }
                        }
                        """, 3, "\"/live dj\"", "not a valid mount"),
                Malformed.of("fallback not a mount", """
                        {
                          "mounts": {
                            "/live": {
                              "fallback": "jazz"
                            }
                          }
                        }
                        """, 4, "\"jazz\"", "not a valid mount"),
                Malformed.of("fallback to itself", """
                        {
                          "mounts": {
                            "/jazz": {},
                            "/live": {
                              "public": true,
                              "fallback": "/live"
                            }
                          }
                        }
                        """, 6, "/live", "itself"),
                Malformed.of("file_bitrate too low", """
                        {
                          "mounts": {
                            "/loop.ogg": {
                              "file_bitrate": 4
                            }
                          }
                        }
                        """, 4, "file_bitrate", "from 8 to 10000", "not 4"),
                Malformed.of("low_latency_gather_ms too high", """
                        {
                          "mounts": {
                            "/talk": {
                              "low_latency_gather_ms": 900
                            }
                          }
                        }
                        """, 4, "low_latency_gather_ms", "from 0 to 500", "not 900"),
                Malformed.of("history not an object", """
                        {
                          "port": 8000,
                          "history": 90
                        }
                        """, 3, "history", "object"),
                Malformed.of("unknown history key", """
                        {
                          "history": {
                            "song_play_days": 30,
                            "song_days": 30
                          }
                        }
                        """, 4, "unknown key", "\"history.song_days\"", "song_play_days"),
                Malformed.of("history days zero", """
                        {
                          "history": {
                            "listener_session_days": 0
                          }
                        }
                        """, 3, "listener_session_days", "from 1 to 36500", "not 0"),
                Malformed.of("history days not whole", """
                        {
                          "history": {
                            "song_play_days": 7,
                            "minute_sample_days": 1.5
                          }
                        }
                        """, 4, "minute_sample_days", "1.5"),
                Malformed.of("history days as a string", """
                        {
                          "history": {
                            "hourly_sample_days": "365"
                          }
                        }
                        """, 3, "hourly_sample_days", "whole number"),
                Malformed.of("history days beyond a hundred years", """
                        {
                          "history": {
                            "hourly_sample_days": 100000
                          }
                        }
                        """, 3, "hourly_sample_days", "100000"),
                Malformed.of("hours kept for less time than minutes", """
                        {
                          "history": {
                            "minute_sample_days": 30,
                            "hourly_sample_days": 10
                          }
                        }
                        """, 4, "\"hourly_sample_days\" (10)", "\"minute_sample_days\" (30)"),
                Malformed.of("minutes kept longer than the default hours", """
                        {
                          "history": {
                            "minute_sample_days": 400
                          }
                        }
                        """, 3, "\"hourly_sample_days\" (365)", "(400)"),
                Malformed.of("duplicate key", """
                        {
                          "port": 8000,
                          "host": "0.0.0.0",
                          "port": 8001
                        }
                        """, 4, "duplicate", "\"port\""),
                Malformed.of("duplicate mount", """
                        {
                          "mounts": {
                            "/live": {},
                            "/jazz": {},
                            "/live": { "public": false }
                          }
                        }
                        """, 5, "duplicate", "\"/live\""),
                Malformed.of("an API token with a bad hash", """
                        {
                          "api_tokens": [
                            {"id": "abcd1234", "name": "x", "user": "admin", "sha256": "abc",
                             "created": "2026-11-24T09:00:00Z"}
                          ]
                        }
                        """, 3, "abcd1234", "sha256"),
                Malformed.of("an API token without a time", """
                        {
                          "api_tokens": [
                            {"id": "abcd1234", "user": "admin", "sha256": "%s"}
                          ]
                        }
                        """.formatted("a".repeat(64)), 3, "created"),
                Malformed.of("a rule of the records: an auth hook that waits too long", """
                        {
                          "mounts": {
                            "/live": {
                              "auth": {
                                "type": "url",
                                "listener_add": "https://auth.example.org/add",
                                "timeout": 600
                              }
                            }
                          }
                        }
                        """, 7, "\"timeout\"", "from 1 to 300", "not 600"),
                Malformed.of("a rule of the records: a user name with a space", """
                        {
                          "users": [
                            {"name": "dj anna", "password": "x"}
                          ]
                        }
                        """, 3, "user name", "\"dj anna\""),
                Malformed.of("a whole number too large for any setting", """
                        {
                          "limits": {
                            "burst_size": 99999999999
                          }
                        }
                        """, 3, "\"burst_size\"", "99999999999"),
                Malformed.of("a shoutcast entry without a mount", """
                        {
                          "shoutcast": [
                            {"port": 8001}
                          ]
                        }
                        """, 3, "\"mount\""),
                Malformed.of("a shoutcast port that is the server's", """
                        {
                          "port": 8000,
                          "shoutcast": {"port": 8000, "mount": "/live"}
                        }
                        """, 3, "shoutcast port 8000"),
                Malformed.of("a shoutcast entry with an unknown key", """
                        {
                          "shoutcast": {"mount": "/live",
                            "password": "x"}
                        }
                        """, 3, "shoutcast.password"),
                Malformed.of("a banned address that is a host name", """
                        {
                          "banned_ips": ["203.0.113.7",
                            "evil.example.com"]
                        }
                        """, 3, "\"banned_ips\"", "evil.example.com"),
                Malformed.of("a trusted proxy range with bits after its prefix", """
                        {
                          "trusted_proxies": ["10.0.0.1/8"]
                        }
                        """, 2, "\"trusted_proxies\"", "10.0.0.0/8"),
                Malformed.of("allowed_ips that is not a list", """
                        {
                          "allowed_ips": "10.0.0.0/8"
                        }
                        """, 2, "\"allowed_ips\"", "list"),
                Malformed.of("a mount's allowed_ips with a bad prefix", """
                        {
                          "mounts": {
                            "/studio": {
                              "allowed_ips": ["2001:db8::/129"]
                            }
                          }
                        }
                        """, 4, "\"allowed_ips\"", "2001:db8::/129"),
                Malformed.of("a key without a colon", """
                        {
                          "port" 8000
                        }
                        """, 2, "':'"),
                Malformed.of("enabled that is not a boolean", """
                        {
                          "mounts": {
                            "/live": { "enabled": "no" }
                          }
                        }
                        """, 3, "enabled", "true or false"),
                new Malformed("not UTF-8",
                        "{\n  \"host\": \"0.0.0.0\",\n  \"location\": \"M\u00fcnchen\"\n}\n"
                                .getBytes(StandardCharsets.ISO_8859_1), 3, List.of("UTF-8")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void refusesAMalformedFileNamingTheFileLineAndProblem(Malformed malformed) throws IOException {
        Files.write(file, malformed.content());

        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class, store::load);

        String message = refused.getMessage();
        assertTrue(message.contains(file.toString()), "names the file: " + message);
        assertTrue(Pattern.compile("\\bline " + malformed.line() + "\\b").matcher(message).find(),
                "names line " + malformed.line() + ": " + message);
        for (String word : malformed.words()) {
            assertTrue(message.contains(word), "says \"" + word + "\": " + message);
        }
    }

    // ---- saving ----

    @Test
    void savedFileLoadsBackEqual() {
        ServerConfig config = configWithHashedSecrets();

        store.save(config);

        assertEquals(Optional.of(config), store.load());
        assertEquals(Optional.of(config), new JsonConfigurationFile(file, HASHER).load());
    }

    @Test
    void theHistoryRetentionIsWrittenInDaysAndLoadsBackEqual() throws IOException {
        ServerConfig d = ServerConfig.defaults();
        Retention retention = new Retention(Duration.ofDays(30), Duration.ofDays(14), Duration.ofDays(2),
                Duration.ofDays(3650));
        ServerConfig config = new ServerConfig(d.host(), d.port(), d.hostname(), d.location(), d.adminEmail(),
                d.adminUser(), d.adminPassword(), d.sourcePassword(), d.limits(), d.mounts(), d.clientAddresses(),
                retention, d.users(), d.dashboard(), d.apiTokens(), d.accessLog());

        store.save(config);

        String json = Files.readString(file);
        assertTrue(Pattern.compile("""
                "history": \\{\\s*"song_play_days": 30,\\s*"listener_session_days": 14,\\s*\
                "minute_sample_days": 2,\\s*"hourly_sample_days": 3650\\s*}""").matcher(json).find(), json);
        assertEquals(Optional.of(config), store.load());
    }

    @Test
    void theDefaultRetentionIsWrittenOutSoOperatorsSeeIt() throws IOException {
        store.save(ServerConfig.defaults());

        String json = Files.readString(file);
        assertTrue(json.contains("\"song_play_days\": 90") && json.contains("\"hourly_sample_days\": 365"), json);
        assertEquals(Retention.DEFAULTS, store.load().orElseThrow().history());
    }

    @Test
    void savingLeavesNoTemporaryFileBehind() throws IOException {
        store.save(ServerConfig.defaults());
        store.save(configWithHashedSecrets());

        assertEquals(List.of(file), filesIn(dir));
        assertEquals(Optional.of(configWithHashedSecrets()), store.load());
    }

    @Test
    void savingReplacesABrokenFile() throws IOException {
        Files.writeString(file, "{ broken");

        store.save(ServerConfig.defaults());

        assertEquals(Optional.of(ServerConfig.defaults()), store.load());
        assertEquals(List.of(file), filesIn(dir));
    }

    @Test
    void savingCreatesMissingDirectories() {
        JsonConfigurationFile nested = new JsonConfigurationFile(dir.resolve("etc/tinyice/tinyice.json"), HASHER);

        nested.save(ServerConfig.defaults());

        assertEquals(Optional.of(ServerConfig.defaults()), nested.load());
    }

    @Test
    void aFailedSaveLeavesNoTemporaryFileBehind() throws IOException {
        Files.createDirectories(file);
        Files.writeString(file.resolve("keep"), "in the way");

        InvalidConfigurationException refused =
                assertThrows(InvalidConfigurationException.class, () -> store.save(ServerConfig.defaults()));

        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertEquals(List.of(file), filesIn(dir));
    }

    @Test
    void theSavedFileHoldsNoPlaintextPassword() throws IOException {
        String adminHash = HASHER.hash("admin-plaintext-1");
        String sourceHash = HASHER.hash("source-plaintext-2");
        String mountHash = HASHER.hash("mount-plaintext-3");
        ServerConfig config = ServerConfig.defaults().withCredentials("admin",
                Optional.of(new Secret.Hashed(adminHash)), Optional.of(new Secret.Hashed(sourceHash)),
                Map.of("/live", MountConfig.defaultsFor("/live").withPassword(new Secret.Hashed(mountHash))));

        store.save(config);

        String json = Files.readString(file);
        for (String plaintext : List.of("admin-plaintext-1", "source-plaintext-2", "mount-plaintext-3", "plaintext")) {
            assertFalse(json.contains(plaintext), "holds \"" + plaintext + "\":\n" + json);
        }
        assertTrue(json.contains(adminHash) && json.contains(sourceHash) && json.contains(mountHash), json);
        ServerConfig loaded = store.load().orElseThrow();
        assertTrue(HASHER.verify("admin-plaintext-1", ((Secret.Hashed) loaded.adminPassword().orElseThrow()).encoded()));
    }

    private static ServerConfig configWithHashedSecrets() {
        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        mounts.put("/live", new MountConfig("/live", Optional.of(new Secret.Hashed(A_HASH)), 5, Optional.of(1024),
                Optional.of("/jazz"), true, false, true, Optional.of("Live \"now\"")));
        mounts.put("/jazz", MountConfig.defaultsFor("/jazz"));
        return new ServerConfig("::", 8001, "example.org", "Earth", "a@example.org", "root",
                Optional.of(new Secret.Hashed(A_HASH)), Optional.of(new Secret.Hashed(A_HASH)),
                new Limits(10, 2, 4096, Duration.ofSeconds(20), Duration.ofSeconds(3)), mounts);
    }

    private ServerConfig load(String text) throws IOException {
        Files.writeString(file, text);
        return store.load().orElseThrow();
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
