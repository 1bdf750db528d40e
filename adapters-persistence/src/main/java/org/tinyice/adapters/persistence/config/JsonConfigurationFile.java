package org.tinyice.adapters.persistence.config;

import java.io.IOException;
import jakarta.json.spi.JsonProvider;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.tinyice.adapters.persistence.config.JsonTree.Member;
import org.tinyice.adapters.persistence.config.JsonTree.Obj;
import org.tinyice.application.config.AccessLogSettings;
import org.tinyice.application.config.HlsSettings;
import org.tinyice.application.config.ApiToken;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.config.LowLatency;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Retention;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.AddressLists;
import org.tinyice.application.config.AddressRange;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.domain.mount.MountPath;

/**
 * {@code tinyice.json}: every key optional, unknown keys refused (a typo must not silently fall back
 * to a default), every problem reported with the file and line. This class reads and writes the file;
 * what a setting may be is the configuration records' rule, and their refusal gets the line of the key
 * it names. Saved atomically: written to a temporary file beside it, then renamed over it.
 */
public final class JsonConfigurationFile implements ConfigurationStore {

    private static final String BANNED_IPS = "banned_ips";
    private static final String ALLOWED_IPS = "allowed_ips";
    private static final String TRUSTED_PROXIES = "trusted_proxies";
    private static final Set<String> TOP_KEYS = Set.of("host", "port", "hostname", "location", "admin_email",
            "admin_user", "admin_password", "source_password", "limits", "mounts", "client_addresses", "history",
            "users", "dashboard", "api_tokens", "access_log", RelaysSection.KEY, "relay_user", "relay_password",
            RelaysSection.MASTER_KEY, RelaysSection.REDIRECT_KEY, ShoutcastSection.KEY, "hls",
            TlsSection.KEY, TlsSection.REDIRECT_KEY, TlsSection.ACME_KEY, BANNED_IPS, ALLOWED_IPS, TRUSTED_PROXIES);
    private static final Set<String> TOKEN_KEYS = Set.of("id", "name", "user", "sha256", "created");
    private static final Set<String> USER_KEYS = Set.of("name", "password", "role", "mounts");
    private static final Set<String> DASHBOARD_KEYS = Set.of("max_failed_logins", "lockout_minutes",
            "session_idle_minutes", "session_max_hours");
    private static final Set<String> LIMIT_KEYS = Set.of("max_listeners", "max_sources", "burst_size",
            "source_timeout", "header_timeout", "chunk_ms", "max_connections_per_address",
            "per_address_includes_loopback", "max_sse_clients");
    private static final Set<String> ACCESS_LOG_KEYS = Set.of("max_bytes", "files");
    private static final Set<String> HLS_KEYS = Set.of("segment_seconds", "window_seconds");
    private static final Set<String> HISTORY_KEYS = Set.of("song_play_days", "listener_session_days",
            "minute_sample_days", "hourly_sample_days");
    private static final Set<String> MOUNT_KEYS = Set.of("password", "max_listeners", "burst_size", "fallback",
            "fallback_override", "public", "hidden", "name", "auth", "file_bitrate", "enabled", "low_latency",
            "low_latency_burst_ms", "low_latency_gather_ms", ALLOWED_IPS);
    private static final Set<String> AUTH_KEYS = Set.of("type", "users", "listener_add", "listener_remove",
            "timeout", "admit_when_down");

    /** Looked up once: {@link JsonProvider#provider()} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final Path file;
    private final PasswordHasher hasher;

    public JsonConfigurationFile(Path file, PasswordHasher hasher) {
        this.file = file;
        this.hasher = hasher;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public Optional<ServerConfig> load() {
        String text;
        try {
            text = utf8(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InvalidConfigurationException(file + ": cannot read: " + e.getMessage(), e);
        }
        JsonTree.Value root;
        try {
            root = JsonTree.parse(text);
        } catch (JsonTree.SyntaxException e) {
            throw new InvalidConfigurationException(file + " line " + e.line + ": " + e.getMessage());
        }
        try {
            return Optional.of(read(root));
        } catch (LineProblem p) {
            throw new InvalidConfigurationException(file + " line " + p.line + ": " + p.getMessage());
        }
    }

    /** The text of {@code bytes}; refused with the line of the first byte that is not UTF-8. */
    private String utf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') { // never part of a multi-byte sequence
                    line++;
                }
            }
            throw new InvalidConfigurationException(
                    file + " line " + line + ": not UTF-8 text (save the file as UTF-8)");
        }
        return out.flip().toString();
    }

    private ServerConfig read(JsonTree.Value root) {
        Obj top = object(root, "the configuration");
        checkKeys(top, TOP_KEYS, "");
        ServerConfig d = ServerConfig.defaults();
        Limits limits = member(top, "limits").map(m -> readLimits(object(m.value(), "limits"))).orElse(d.limits());
        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        Map<String, Integer> fallbackLines = new HashMap<>();
        member(top, "mounts").ifPresent(m -> object(m.value(), "mounts").members().values().forEach(mount -> {
            mounts.put(mount.key(), readMount(mount));
            Member fallback = ((Obj) mount.value()).members().get("fallback");
            if (fallback != null) {
                fallbackLines.put(mount.key(), fallback.line());
            }
        }));
        refuseFallbackLoops(mounts, fallbackLines);
        int port = integer(top, "port", d.port());
        String adminUser = string(top, "admin_user", d.adminUser());
        List<UserAccount> users = member(top, "users").map(m -> readUsers(m, adminUser)).orElse(List.of());
        ServerConfig config = checked(top, () -> new ServerConfig(
                string(top, "host", d.host()), port, string(top, "hostname", d.hostname()),
                string(top, "location", d.location()), string(top, "admin_email", d.adminEmail()),
                string(top, "admin_user", d.adminUser()),
                secret(top, "admin_password"), secret(top, "source_password"), limits, mounts,
                addressPrivacy(top),
                member(top, "history").map(m -> readHistory(object(m.value(), "history"))).orElse(d.history()),
                users,
                member(top, "dashboard").map(m -> readDashboard(object(m.value(), "dashboard")))
                        .orElse(d.dashboard()),
                member(top, "api_tokens").map(JsonConfigurationFile::readTokens).orElse(List.of()),
                member(top, "access_log").map(m -> readAccessLog(object(m.value(), "access_log")))
                        .orElse(d.accessLog())))
                .withRelays(member(top, RelaysSection.KEY).map(JsonConfigurationFile::readRelays).orElse(List.of()))
                .withMaster(member(top, RelaysSection.MASTER_KEY).map(JsonConfigurationFile::readMaster))
                .withRedirectTo(member(top, RelaysSection.REDIRECT_KEY).map(JsonConfigurationFile::readRedirectTo)
                        .orElse(List.of()));
        ServerConfig withShoutcast = checked(top, () -> config.withShoutcast(
                member(top, ShoutcastSection.KEY).map(JsonConfigurationFile::readShoutcast).orElse(List.of())));
        ServerConfig withHls = checked(top, () -> withShoutcast.withHls(
                member(top, "hls").map(m -> readHls(object(m.value(), "hls"))).orElse(d.hls())));
        ServerConfig withTls = checked(top, () -> withHls.withTls(readTls(top)));
        AddressLists addressLists = new AddressLists(addresses(top, BANNED_IPS), addresses(top, ALLOWED_IPS),
                addresses(top, TRUSTED_PROXIES));
        return checked(top, () -> withTls.withRelayAccount(string(top, "relay_user", d.relayUser()),
                secret(top, "relay_password"))).withAddressLists(addressLists);
    }

    /** A list of addresses and ranges ({@code ["203.0.113.7", "10.0.0.0/8"]}); each entry at its own line. */
    private static List<AddressRange> addresses(Obj obj, String key) {
        return member(obj, key).map(m -> {
            String expected = "\"" + key + "\" must be a JSON list of addresses and ranges [\"203.0.113.7\","
                    + " \"10.0.0.0/8\", \"2001:db8::/32\"]";
            if (!(m.value() instanceof JsonTree.Arr list)) {
                throw problem(m.line(), expected);
            }
            List<AddressRange> ranges = new java.util.ArrayList<>();
            for (JsonTree.Value item : list.items()) {
                if (!(item instanceof JsonTree.Str text)) {
                    throw problem(item.line(), expected);
                }
                try {
                    ranges.add(AddressRange.parse(text.value(), key));
                } catch (InvalidSettingException e) {
                    throw problem(item.line(), e.getMessage());
                }
            }
            return List.copyOf(ranges);
        }).orElse(List.of());
    }

    private static HlsSettings readHls(Obj hls) {
        checkKeys(hls, HLS_KEYS, "hls.");
        HlsSettings d = HlsSettings.DEFAULTS;
        return checked(hls, () -> new HlsSettings(integer(hls, "segment_seconds", d.segmentSeconds()),
                integer(hls, "window_seconds", d.windowSeconds())));
    }

    private static Optional<org.tinyice.application.config.TlsConfig> readTls(Obj top) {
        try {
            return TlsSection.read(member(top, TlsSection.KEY), member(top, TlsSection.REDIRECT_KEY),
                    member(top, TlsSection.ACME_KEY));
        } catch (RelaysSection.Problem p) {
            throw problem(p.line, p.getMessage());
        }
    }

    private static List<org.tinyice.application.config.ShoutcastConfig> readShoutcast(Member shoutcast) {
        try {
            return ShoutcastSection.read(shoutcast.value());
        } catch (RelaysSection.Problem p) {
            throw problem(p.line, p.getMessage());
        }
    }


    private static org.tinyice.application.config.MasterConfig readMaster(Member master) {
        try {
            return RelaysSection.readMaster(master.value());
        } catch (RelaysSection.Problem p) {
            throw problem(p.line, p.getMessage());
        }
    }

    private static List<org.tinyice.application.config.EdgeAddress> readRedirectTo(Member edges) {
        try {
            return RelaysSection.readRedirectTo(edges.value());
        } catch (RelaysSection.Problem p) {
            throw problem(p.line, p.getMessage());
        }
    }

    private static List<org.tinyice.application.config.RelayConfig> readRelays(Member relays) {
        try {
            return RelaysSection.read(relays.value());
        } catch (RelaysSection.Problem p) {
            throw problem(p.line, p.getMessage());
        }
    }

    private static List<ApiToken> readTokens(Member tokens) {
        if (!(tokens.value() instanceof JsonTree.Arr list)) {
            throw problem(tokens.line(), "\"api_tokens\" must be a JSON list [...] (the dashboard writes it)");
        }
        List<ApiToken> read = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (JsonTree.Value item : list.items()) {
            Obj token = object(item, "an API token");
            checkKeys(token, TOKEN_KEYS, "api_tokens[].");
            String id = optionalString(token, "id").orElse("");
            if (!ids.add(id)) {
                throw problem(token.line(), "API token id \"" + id + "\" is listed twice");
            }
            java.time.Instant created;
            try {
                created = java.time.Instant.parse(optionalString(token, "created").orElse(""));
            } catch (java.time.format.DateTimeParseException e) {
                throw problem(token.line(), "API token " + id + " needs \"created\" as a UTC time like"
                        + " \"2026-01-31T12:00:00Z\"");
            }
            read.add(checked(token, () -> new ApiToken(id, optionalString(token, "name").orElse(""),
                    optionalString(token, "user").orElse(""), optionalString(token, "sha256").orElse(""), created)));
        }
        return read;
    }

    private List<UserAccount> readUsers(Member users, String adminUser) {
        if (!(users.value() instanceof JsonTree.Arr list)) {
            throw problem(users.line(), "\"users\" must be a JSON list [...] of {\"name\", \"password\", \"role\", \"mounts\"}");
        }
        List<UserAccount> accounts = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (JsonTree.Value item : list.items()) {
            Obj user = object(item, "a user");
            checkKeys(user, USER_KEYS, "users[].");
            String name = optionalString(user, "name").orElse("");
            if (name.equals(adminUser) || !names.add(name)) {
                throw problem(user.line(), "user \"" + name + "\" is listed twice (the first admin is \"admin_user\")");
            }
            Secret password = secret(user, "password")
                    .orElseThrow(() -> problem(user.line(), "user \"" + name + "\" needs a \"password\""));
            String roleText = optionalString(user, "role").orElse("dj");
            UserAccount.Role role = switch (roleText) {
                case "admin" -> UserAccount.Role.ADMIN;
                case "dj" -> UserAccount.Role.DJ;
                default -> throw problem(member(user, "role").map(Member::line).orElse(user.line()),
                        "\"role\" must be \"admin\" or \"dj\", not \"" + roleText + "\"");
            };
            Set<String> mounts = new java.util.LinkedHashSet<>();
            member(user, "mounts").ifPresent(m -> {
                if (!(m.value() instanceof JsonTree.Arr paths)) {
                    throw problem(m.line(), "\"mounts\" must be a list of mount paths, e.g. [\"/live\"]");
                }
                for (JsonTree.Value path : paths.items()) {
                    if (!(path instanceof JsonTree.Str str)) {
                        throw problem(path.line(), "\"mounts\" of user \"" + name + "\" must hold mount paths like \"/live\"");
                    }
                    mounts.add(str.value());
                }
            });
            accounts.add(checked(user, () -> new UserAccount(name, password, role, mounts)));
        }
        return accounts;
    }

    private static DashboardSettings readDashboard(Obj dashboard) {
        checkKeys(dashboard, DASHBOARD_KEYS, "dashboard.");
        DashboardSettings d = DashboardSettings.DEFAULTS;
        return checked(dashboard, () -> new DashboardSettings(
                integer(dashboard, "max_failed_logins", d.maxFailedLogins()),
                Duration.ofMinutes(integer(dashboard, "lockout_minutes", d.lockout().toMinutes())),
                Duration.ofMinutes(integer(dashboard, "session_idle_minutes", d.sessionIdle().toMinutes())),
                Duration.ofHours(integer(dashboard, "session_max_hours", d.sessionMax().toHours()))));
    }

    private static Retention readHistory(Obj history) {
        checkKeys(history, HISTORY_KEYS, "history.");
        Retention d = Retention.DEFAULTS;
        return checked(history, () -> new Retention(days(history, "song_play_days", d.songPlays()),
                days(history, "listener_session_days", d.listenerSessions()),
                days(history, "minute_sample_days", d.minuteSamples()),
                days(history, "hourly_sample_days", d.hourlySamples())));
    }

    private static Duration days(Obj obj, String key, Duration fallback) {
        return Duration.ofDays(integer(obj, key, fallback.toDays()));
    }

    private static ServerConfig.AddressPrivacy addressPrivacy(Obj top) {
        String value = optionalString(top, "client_addresses").orElse("hashed");
        return switch (value) {
            case "full" -> ServerConfig.AddressPrivacy.FULL;
            case "hashed" -> ServerConfig.AddressPrivacy.HASHED;
            case "none" -> ServerConfig.AddressPrivacy.NONE;
            default -> throw problem(top.members().get("client_addresses").line(),
                    "\"client_addresses\" must be \"full\", \"hashed\" or \"none\", not \"" + value + "\"");
        };
    }

    /** A -> B -> A would bounce listeners forever when both sources are down. */
    private static void refuseFallbackLoops(Map<String, MountConfig> mounts, Map<String, Integer> fallbackLines) {
        for (MountConfig start : mounts.values()) {
            MountConfig.fallbackLoop(mounts, start.path()).ifPresent(loop -> {
                throw problem(fallbackLines.getOrDefault(start.path(), 1), "fallback loop: " + loop);
            });
        }
    }

    private Limits readLimits(Obj limits) {
        checkKeys(limits, LIMIT_KEYS, "limits.");
        Limits d = Limits.DEFAULT;
        return checked(limits, () -> new Limits(
                integer(limits, "max_listeners", d.maxListeners()),
                integer(limits, "max_sources", d.maxSources()),
                integer(limits, "burst_size", d.burstSize()),
                Duration.ofSeconds(integer(limits, "source_timeout", d.sourceIdleTimeout().toSeconds())),
                Duration.ofSeconds(integer(limits, "header_timeout", d.headerTimeout().toSeconds())),
                Duration.ofMillis(integer(limits, "chunk_ms", d.chunkDelay().toMillis())),
                integer(limits, "max_connections_per_address", d.maxConnectionsPerAddress()),
                bool(limits, "per_address_includes_loopback", d.perAddressIncludesLoopback()),
                integer(limits, "max_sse_clients", d.maxSseClients())));
    }

    private static AccessLogSettings readAccessLog(Obj accessLog) {
        checkKeys(accessLog, ACCESS_LOG_KEYS, "access_log.");
        AccessLogSettings d = AccessLogSettings.DEFAULTS;
        return checked(accessLog, () -> new AccessLogSettings(whole(accessLog, "max_bytes", d.maxBytes()),
                integer(accessLog, "files", d.files())));
    }

    private MountConfig readMount(Member member) {
        String path = member.key();
        if (!MountPath.isValid(path)) {
            throw problem(member.line(), "\"" + path + "\" is not a valid mount (it must start with / and use only"
                    + " letters, digits and ._-~/)");
        }
        Obj mount = object(member.value(), "mount " + path);
        checkKeys(mount, MOUNT_KEYS, "mounts." + path + ".");
        return checked(mount, () -> new MountConfig(path, secret(mount, "password"),
                integer(mount, "max_listeners", 0), optionalInteger(mount, "burst_size"),
                optionalString(mount, "fallback"), bool(mount, "fallback_override", false),
                bool(mount, "public", true), bool(mount, "hidden", false), optionalString(mount, "name"),
                member(mount, "auth").map(m -> readAuth(object(m.value(), "auth"), path)).orElse(ListenerAuth.NONE),
                optionalInteger(mount, "file_bitrate"), bool(mount, "enabled", true),
                new LowLatency(bool(mount, "low_latency", false),
                        Duration.ofMillis(integer(mount, "low_latency_burst_ms", LowLatency.DEFAULT_BURST.toMillis())),
                        Duration.ofMillis(integer(mount, "low_latency_gather_ms",
                                LowLatency.DEFAULT_GATHER.toMillis()))),
                addresses(mount, ALLOWED_IPS)));
    }

    private ListenerAuth readAuth(Obj auth, String path) {
        checkKeys(auth, AUTH_KEYS, "mounts." + path + ".auth.");
        String type = optionalString(auth, "type").orElse("none");
        int line = member(auth, "type").map(Member::line).orElse(auth.line());
        return switch (type) {
            case "none" -> ListenerAuth.NONE;
            case "users" -> {
                Map<String, Secret> users = new LinkedHashMap<>();
                member(auth, "users").ifPresent(m -> object(m.value(), "users").members().values().forEach(user -> {
                    if (!(user.value() instanceof JsonTree.Str password) || password.value().isEmpty()) {
                        throw problem(user.line(), "the password of listener \"" + user.key() + "\" must be a non-empty string");
                    }
                    users.put(user.key(), hasher.isHash(password.value())
                            ? new Secret.Hashed(password.value()) : new Secret.Plain(password.value()));
                }));
                yield new ListenerAuth.StaticUsers(users);
            }
            case "url" -> checked(auth, () -> new ListenerAuth.UrlHook(
                    url(auth, "listener_add").orElseThrow(() -> problem(line, "auth type \"url\" needs \"listener_add\"")),
                    url(auth, "listener_remove"),
                    Duration.ofSeconds(integer(auth, "timeout", 5)),
                    bool(auth, "admit_when_down", false)));
            default -> throw problem(line, "auth \"type\" must be \"none\", \"users\" or \"url\", not \"" + type + "\"");
        };
    }

    private static Optional<URI> url(Obj obj, String key) {
        return optionalString(obj, key).map(text -> {
            try {
                return new URI(text);
            } catch (URISyntaxException e) {
                throw problem(obj.members().get(key).line(), "\"" + key + "\" must be an http(s) URL: " + text);
            }
        });
    }

    private Optional<Secret> secret(Obj obj, String key) {
        return optionalString(obj, key).filter(s -> !s.isEmpty())
                .map(value -> hasher.isHash(value) ? new Secret.Hashed(value) : new Secret.Plain(value));
    }

    private static void checkKeys(Obj obj, Set<String> known, String prefix) {
        for (Member member : obj.members().values()) {
            if (!known.contains(member.key())) {
                throw problem(member.line(), "unknown key \"" + prefix + member.key() + "\" (known keys: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static Optional<Member> member(Obj obj, String key) {
        return Optional.ofNullable(obj.members().get(key));
    }

    private static Obj object(JsonTree.Value value, String what) {
        if (value instanceof Obj obj) {
            return obj;
        }
        throw problem(value.line(), what + " must be a JSON object {...}");
    }

    private static String string(Obj obj, String key, String fallback) {
        return optionalString(obj, key).orElse(fallback);
    }

    private static Optional<String> optionalString(Obj obj, String key) {
        return member(obj, key).map(m -> switch (m.value()) {
            case JsonTree.Str s -> s.value();
            case JsonTree.Null n -> null;
            default -> throw problem(m.line(), "\"" + key + "\" must be a string in double quotes");
        });
    }

    /** A whole number; how large it may be is the record's rule. */
    private static int integer(Obj obj, String key, long fallback) {
        long value = whole(obj, key, fallback);
        if (value != (int) value) {
            throw problem(member(obj, key).map(Member::line).orElse(obj.line()),
                    "\"" + key + "\" is far too large: " + value);
        }
        return (int) value;
    }

    private static Optional<Integer> optionalInteger(Obj obj, String key) {
        return member(obj, key).map(m -> integer(obj, key, 0));
    }

    private static long whole(Obj obj, String key, long fallback) {
        return member(obj, key).map(m -> {
            if (!(m.value() instanceof JsonTree.Num num)) {
                throw problem(m.line(), "\"" + key + "\" must be a whole number");
            }
            BigDecimal value = num.value();
            try {
                return value.longValueExact();
            } catch (ArithmeticException notWholeOrTooLarge) {
                throw problem(m.line(), "\"" + key + "\" must be a whole number, not " + value.toPlainString());
            }
        }).orElse(fallback);
    }

    /**
     * {@code make}'s record, or its refusal at the line of the key it names (else of {@code obj}), so the
     * rule stays in the record and the line is added here.
     */
    private static <T> T checked(Obj obj, Supplier<T> make) {
        try {
            return make.get();
        } catch (InvalidSettingException e) {
            int line = e.settings().stream().map(obj.members()::get).filter(java.util.Objects::nonNull)
                    .findFirst().map(Member::line).orElse(obj.line());
            throw problem(line, e.getMessage());
        }
    }

    private static boolean bool(Obj obj, String key, boolean fallback) {
        return member(obj, key).map(m -> {
            if (m.value() instanceof JsonTree.Bool b) {
                return b.value();
            }
            throw problem(m.line(), "\"" + key + "\" must be true or false");
        }).orElse(fallback);
    }

    /** Thrown inside the reader; {@link #load()} adds the file name. */
    private static LineProblem problem(int line, String message) {
        return new LineProblem(line, message);
    }

    private static final class LineProblem extends RuntimeException {
        final int line;

        LineProblem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    @Override
    public void save(ServerConfig config) {
        String text = write(config);
        try {
            refuseReadOnlyFile();
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * The save replaces the file by renaming a new one over it, which a read-only file does not stop; an
     * operator who made it read-only (chmod a-w) meant it not to change, so it is not saved then.
     */
    private void refuseReadOnlyFile() throws IOException {
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "the file is read-only");
        }
    }

    /** Writes a file as large as the configuration beside it, and deletes it: can a save succeed now? */
    @Override
    public Optional<String> writeProblem() {
        try {
            refuseReadOnlyFile();
            Path dir = file.toAbsolutePath().getParent();
            long size = Files.exists(file) ? Files.size(file) : 1;
            Path probe = Files.createTempFile(dir, file.getFileName().toString(), ".probe");
            try {
                Files.write(probe, new byte[(int) Math.min(size, 1 << 20)]);
            } finally {
                Files.deleteIfExists(probe);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(file + ": cannot write: " + e.getMessage());
        }
    }

    static String write(ServerConfig c) {
        StringBuilder out = new StringBuilder("{\n");
        field(out, 1, "host", quote(c.host()));
        field(out, 1, "port", Integer.toString(c.port()));
        field(out, 1, "hostname", quote(c.hostname()));
        field(out, 1, "location", quote(c.location()));
        field(out, 1, "admin_email", quote(c.adminEmail()));
        field(out, 1, "admin_user", quote(c.adminUser()));
        c.adminPassword().ifPresent(s -> field(out, 1, "admin_password", quote(encoded(s))));
        c.sourcePassword().ifPresent(s -> field(out, 1, "source_password", quote(encoded(s))));
        if (!c.relayUser().equals(ServerConfig.DEFAULT_RELAY_USER)) {
            field(out, 1, "relay_user", quote(c.relayUser()));
        }
        c.relayPassword().ifPresent(s -> field(out, 1, "relay_password", quote(encoded(s))));
        field(out, 1, "client_addresses", quote(c.clientAddresses().name().toLowerCase(java.util.Locale.ROOT)));
        Limits l = c.limits();
        out.append("  \"limits\": {\n");
        field(out, 2, "max_listeners", Integer.toString(l.maxListeners()));
        field(out, 2, "max_sources", Integer.toString(l.maxSources()));
        field(out, 2, "burst_size", Integer.toString(l.burstSize()));
        field(out, 2, "source_timeout", Long.toString(l.sourceIdleTimeout().toSeconds()));
        field(out, 2, "header_timeout", Long.toString(l.headerTimeout().toSeconds()));
        field(out, 2, "chunk_ms", Long.toString(l.chunkDelay().toMillis()));
        field(out, 2, "max_connections_per_address", Integer.toString(l.maxConnectionsPerAddress()));
        field(out, 2, "per_address_includes_loopback", Boolean.toString(l.perAddressIncludesLoopback()));
        field(out, 2, "max_sse_clients", Integer.toString(l.maxSseClients()));
        closeObject(out, 1);
        if (!c.hls().equals(HlsSettings.DEFAULTS)) { // files that never set it stay as they were
            out.append("  \"hls\": {\n");
            field(out, 2, "segment_seconds", Integer.toString(c.hls().segmentSeconds()));
            field(out, 2, "window_seconds", Integer.toString(c.hls().windowSeconds()));
            closeObject(out, 1);
        }
        out.append("  \"access_log\": {\n");
        field(out, 2, "max_bytes", Long.toString(c.accessLog().maxBytes()));
        field(out, 2, "files", Integer.toString(c.accessLog().files()));
        closeObject(out, 1);
        Retention h = c.history();
        out.append("  \"history\": {\n");
        field(out, 2, "song_play_days", Long.toString(h.songPlays().toDays()));
        field(out, 2, "listener_session_days", Long.toString(h.listenerSessions().toDays()));
        field(out, 2, "minute_sample_days", Long.toString(h.minuteSamples().toDays()));
        field(out, 2, "hourly_sample_days", Long.toString(h.hourlySamples().toDays()));
        closeObject(out, 1);
        DashboardSettings ds = c.dashboard();
        out.append("  \"dashboard\": {\n");
        field(out, 2, "max_failed_logins", Integer.toString(ds.maxFailedLogins()));
        field(out, 2, "lockout_minutes", Long.toString(ds.lockout().toMinutes()));
        field(out, 2, "session_idle_minutes", Long.toString(ds.sessionIdle().toMinutes()));
        field(out, 2, "session_max_hours", Long.toString(ds.sessionMax().toHours()));
        closeObject(out, 1);
        if (!c.users().isEmpty()) {
            out.append("  \"users\": [\n");
            for (UserAccount u : c.users()) {
                out.append("    {\"name\": ").append(quote(u.name()))
                        .append(", \"password\": ").append(quote(encoded(u.password())))
                        .append(", \"role\": ").append(quote(u.role().name().toLowerCase(java.util.Locale.ROOT)))
                        .append(", \"mounts\": [")
                        .append(String.join(", ", u.mounts().stream().sorted().map(JsonConfigurationFile::quote).toList()))
                        .append("]},\n");
            }
            trimComma(out);
            out.append("  ],\n");
        }
        if (!c.apiTokens().isEmpty()) {
            out.append("  \"api_tokens\": [\n");
            for (ApiToken t : c.apiTokens()) {
                out.append("    {\"id\": ").append(quote(t.id()))
                        .append(", \"name\": ").append(quote(t.name()))
                        .append(", \"user\": ").append(quote(t.user()))
                        .append(", \"sha256\": ").append(quote(t.sha256()))
                        .append(", \"created\": ").append(quote(t.created().toString()))
                        .append("},\n");
            }
            trimComma(out);
            out.append("  ],\n");
        }
        RelaysSection.write(out, c.relays());
        c.master().ifPresent(master -> RelaysSection.writeMaster(out, master));
        RelaysSection.writeRedirectTo(out, c.redirectTo());
        ShoutcastSection.write(out, c.shoutcast());
        TlsSection.write(out, c.tls());
        writeAddresses(out, 1, BANNED_IPS, c.addressLists().banned());
        writeAddresses(out, 1, ALLOWED_IPS, c.addressLists().allowed());
        writeAddresses(out, 1, TRUSTED_PROXIES, c.addressLists().trustedProxies());
        out.append("  \"mounts\": {");
        boolean first = true;
        for (MountConfig m : c.mounts().values()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append("    ").append(quote(m.path())).append(": {\n");
            m.password().ifPresent(s -> field(out, 3, "password", quote(encoded(s))));
            field(out, 3, "max_listeners", Integer.toString(m.maxListeners()));
            m.burstSize().ifPresent(b -> field(out, 3, "burst_size", Integer.toString(b)));
            m.fallback().ifPresent(f -> field(out, 3, "fallback", quote(f)));
            field(out, 3, "fallback_override", Boolean.toString(m.fallbackOverride()));
            field(out, 3, "public", Boolean.toString(m.isPublic()));
            field(out, 3, "hidden", Boolean.toString(m.hidden()));
            m.name().ifPresent(n -> field(out, 3, "name", quote(n)));
            writeAuth(out, m.auth());
            m.fileBitrate().ifPresent(b -> field(out, 3, "file_bitrate", Integer.toString(b)));
            if (!m.enabled()) {
                field(out, 3, "enabled", "false");
            }
            if (m.lowLatency().enabled()) {
                field(out, 3, "low_latency", "true");
            }
            if (!m.lowLatency().burst().equals(LowLatency.DEFAULT_BURST)) {
                field(out, 3, "low_latency_burst_ms", Long.toString(m.lowLatency().burst().toMillis()));
            }
            if (!m.lowLatency().gather().equals(LowLatency.DEFAULT_GATHER)) {
                field(out, 3, "low_latency_gather_ms", Long.toString(m.lowLatency().gather().toMillis()));
            }
            writeAddresses(out, 3, ALLOWED_IPS, m.allowedIps());
            trimComma(out);
            out.append("    }");
        }
        out.append(first ? "}\n" : "\n  }\n");
        return out.append("}\n").toString();
    }

    private static void writeAddresses(StringBuilder out, int depth, String key, List<AddressRange> ranges) {
        if (!ranges.isEmpty()) {
            List<String> entries = ranges.stream().map(r -> quote(r.toString())).toList();
            field(out, depth, key, "[" + String.join(", ", entries) + "]");
        }
    }

    private static void writeAuth(StringBuilder out, ListenerAuth auth) {
        switch (auth) {
            case ListenerAuth.None none -> { }
            case ListenerAuth.StaticUsers users -> {
                StringBuilder list = new StringBuilder("{");
                users.users().forEach((user, secret) -> list.append(list.length() > 1 ? ", " : "")
                        .append(quote(user)).append(": ").append(quote(encoded(secret))));
                field(out, 3, "auth", "{\"type\": \"users\", \"users\": " + list.append("}") + "}");
            }
            case ListenerAuth.UrlHook hook -> field(out, 3, "auth", "{\"type\": \"url\", \"listener_add\": "
                    + quote(hook.listenerAdd().toString())
                    + hook.listenerRemove().map(r -> ", \"listener_remove\": " + quote(r.toString())).orElse("")
                    + ", \"timeout\": " + hook.timeout().toSeconds()
                    + ", \"admit_when_down\": " + hook.admitWhenDown() + "}");
        }
    }

    private static String encoded(Secret secret) {
        return switch (secret) {
            case Secret.Hashed h -> h.encoded();
            // plaintext is only ever written when a caller saves before hashing; never silently drop it
            case Secret.Plain p -> p.password();
        };
    }

    /** The JSON library's string literal, the one quoting rule of all JSON the server writes. */
    static String quote(String value) {
        return JSON.createValue(value).toString();
    }

    private static void field(StringBuilder out, int depth, String key, String json) {
        out.append("  ".repeat(depth)).append(quote(key)).append(": ").append(json).append(",\n");
    }

    private static void closeObject(StringBuilder out, int depth) {
        trimComma(out);
        out.append("  ".repeat(depth)).append("},\n");
    }

    private static void trimComma(StringBuilder out) {
        int comma = out.length() - 2;
        if (comma >= 0 && out.charAt(comma) == ',') {
            out.deleteCharAt(comma);
        }
    }
}
