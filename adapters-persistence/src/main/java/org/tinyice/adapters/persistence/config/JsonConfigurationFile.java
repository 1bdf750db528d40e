package org.tinyice.adapters.persistence.config;

import java.io.IOException;
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
import org.tinyice.adapters.persistence.config.Json.Member;
import org.tinyice.adapters.persistence.config.Json.Obj;
import org.tinyice.application.config.AccessLogSettings;
import org.tinyice.application.config.ApiToken;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Retention;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.domain.mount.MountPath;

/**
 * {@code tinyice.json}: every key optional, unknown keys refused (a typo must not silently fall back
 * to a default), every problem reported with the file and line. Saved atomically: written to a
 * temporary file beside it, then renamed over it.
 */
public final class JsonConfigurationFile implements ConfigurationStore {

    private static final Set<String> TOP_KEYS = Set.of("host", "port", "hostname", "location", "admin_email",
            "admin_user", "admin_password", "source_password", "limits", "mounts", "client_addresses", "history",
            "users", "dashboard", "api_tokens", "access_log", RelaysSection.KEY);
    private static final Set<String> TOKEN_KEYS = Set.of("id", "name", "user", "sha256", "created");
    private static final Set<String> USER_KEYS = Set.of("name", "password", "role", "mounts");
    private static final Set<String> DASHBOARD_KEYS = Set.of("max_failed_logins", "lockout_minutes",
            "session_idle_minutes", "session_max_hours");
    private static final Set<String> LIMIT_KEYS = Set.of("max_listeners", "max_sources", "burst_size",
            "source_timeout", "header_timeout", "chunk_ms", "max_connections_per_address",
            "per_address_includes_loopback", "max_sse_clients");
    private static final Set<String> ACCESS_LOG_KEYS = Set.of("max_bytes", "files");
    private static final Set<String> HISTORY_KEYS = Set.of("song_play_days", "listener_session_days",
            "minute_sample_days", "hourly_sample_days");
    /** A hundred years; anything longer is a typo. */
    private static final int MAX_HISTORY_DAYS = 36_500;
    private static final Set<String> MOUNT_KEYS = Set.of("password", "max_listeners", "burst_size", "fallback",
            "fallback_override", "public", "hidden", "name", "auth", "file_bitrate", "enabled");
    private static final Set<String> AUTH_KEYS = Set.of("type", "users", "listener_add", "listener_remove",
            "timeout", "admit_when_down");

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
        Json.Value root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxException e) {
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

    private ServerConfig read(Json.Value root) {
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
        int port = integer(top, "port", d.port(), 0, 65_535);
        String adminUser = string(top, "admin_user", d.adminUser());
        List<UserAccount> users = member(top, "users").map(m -> readUsers(m, adminUser)).orElse(List.of());
        return new ServerConfig(
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
                        .orElse(d.accessLog()))
                .withRelays(member(top, RelaysSection.KEY).map(JsonConfigurationFile::readRelays).orElse(List.of()));
    }

    private static List<org.tinyice.application.config.RelayConfig> readRelays(Member relays) {
        try {
            return RelaysSection.read(relays.value());
        } catch (RelaysSection.Problem p) {
            throw problem(p.line, p.getMessage());
        }
    }

    private static List<ApiToken> readTokens(Member tokens) {
        if (!(tokens.value() instanceof Json.Arr list)) {
            throw problem(tokens.line(), "\"api_tokens\" must be a JSON list [...] (the dashboard writes it)");
        }
        List<ApiToken> read = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (Json.Value item : list.items()) {
            Obj token = object(item, "an API token");
            checkKeys(token, TOKEN_KEYS, "api_tokens[].");
            String id = optionalString(token, "id").orElse("");
            if (!id.matches("[A-Za-z0-9_-]{4,32}") || !ids.add(id)) {
                throw problem(token.line(), "an API token needs a unique \"id\" of 4 to 32 letters and digits");
            }
            // a token whose user is gone (renamed by hand in this file) is kept but lets nobody in
            String user = optionalString(token, "user").orElse("");
            String sha256 = optionalString(token, "sha256").orElse("");
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw problem(token.line(), "API token " + id + " needs \"sha256\": 64 lowercase hex digits");
            }
            java.time.Instant created;
            try {
                created = java.time.Instant.parse(optionalString(token, "created").orElse(""));
            } catch (java.time.format.DateTimeParseException e) {
                throw problem(token.line(), "API token " + id + " needs \"created\" as a UTC time like"
                        + " \"2026-01-31T12:00:00Z\"");
            }
            read.add(new ApiToken(id, optionalString(token, "name").orElse(""), user, sha256, created));
        }
        return read;
    }

    private List<UserAccount> readUsers(Member users, String adminUser) {
        if (!(users.value() instanceof Json.Arr list)) {
            throw problem(users.line(), "\"users\" must be a JSON list [...] of {\"name\", \"password\", \"role\", \"mounts\"}");
        }
        List<UserAccount> accounts = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Json.Value item : list.items()) {
            Obj user = object(item, "a user");
            checkKeys(user, USER_KEYS, "users[].");
            String name = optionalString(user, "name").orElse("");
            if (!name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw problem(user.line(), "a user \"name\" is 1 to 64 letters, digits and ._@-, not \"" + name + "\"");
            }
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
                if (!(m.value() instanceof Json.Arr paths)) {
                    throw problem(m.line(), "\"mounts\" must be a list of mount paths, e.g. [\"/live\"]");
                }
                for (Json.Value path : paths.items()) {
                    if (!(path instanceof Json.Str str) || !MountPath.isValid(str.value())) {
                        throw problem(path.line(), "\"mounts\" of user \"" + name + "\" must hold mount paths like \"/live\"");
                    }
                    mounts.add(str.value());
                }
            });
            accounts.add(new UserAccount(name, password, role, mounts));
        }
        return accounts;
    }

    private static DashboardSettings readDashboard(Obj dashboard) {
        checkKeys(dashboard, DASHBOARD_KEYS, "dashboard.");
        DashboardSettings d = DashboardSettings.DEFAULTS;
        return new DashboardSettings(
                integer(dashboard, "max_failed_logins", d.maxFailedLogins(), 1, 1000),
                Duration.ofMinutes(integer(dashboard, "lockout_minutes", (int) d.lockout().toMinutes(), 1, 525_600)),
                Duration.ofMinutes(integer(dashboard, "session_idle_minutes", (int) d.sessionIdle().toMinutes(), 1,
                        525_600)),
                Duration.ofHours(integer(dashboard, "session_max_hours", (int) d.sessionMax().toHours(), 1, 8760)));
    }

    private static Retention readHistory(Obj history) {
        checkKeys(history, HISTORY_KEYS, "history.");
        Retention d = Retention.DEFAULTS;
        int minutes = days(history, "minute_sample_days", d.minuteSamples());
        int hours = days(history, "hourly_sample_days", d.hourlySamples());
        if (hours < minutes) {
            // hours are rolled up from minutes: they cannot go before the minutes they are made of
            int line = member(history, "hourly_sample_days").or(() -> member(history, "minute_sample_days"))
                    .map(Member::line).orElse(history.line());
            throw problem(line, "\"hourly_sample_days\" (" + hours + ") must be at least \"minute_sample_days\" ("
                    + minutes + "): hourly samples are made from the minute samples");
        }
        return new Retention(Duration.ofDays(days(history, "song_play_days", d.songPlays())),
                Duration.ofDays(days(history, "listener_session_days", d.listenerSessions())),
                Duration.ofDays(minutes), Duration.ofDays(hours));
    }

    private static int days(Obj obj, String key, Duration fallback) {
        return integer(obj, key, (int) fallback.toDays(), 1, MAX_HISTORY_DAYS);
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
        return new Limits(
                integer(limits, "max_listeners", d.maxListeners(), 0, 10_000_000),
                integer(limits, "max_sources", d.maxSources(), 0, 100_000),
                integer(limits, "burst_size", d.burstSize(), 0, 16 * 1024 * 1024),
                Duration.ofSeconds(integer(limits, "source_timeout", (int) d.sourceIdleTimeout().toSeconds(), 1, 86_400)),
                Duration.ofSeconds(integer(limits, "header_timeout", (int) d.headerTimeout().toSeconds(), 1, 3_600)),
                Duration.ofMillis(integer(limits, "chunk_ms", (int) d.chunkDelay().toMillis(), 0, 5_000)),
                integer(limits, "max_connections_per_address", d.maxConnectionsPerAddress(), 0, 1_000_000),
                bool(limits, "per_address_includes_loopback", d.perAddressIncludesLoopback()),
                integer(limits, "max_sse_clients", d.maxSseClients(), 0, 1_000_000));
    }

    private static AccessLogSettings readAccessLog(Obj accessLog) {
        checkKeys(accessLog, ACCESS_LOG_KEYS, "access_log.");
        AccessLogSettings d = AccessLogSettings.DEFAULTS;
        return new AccessLogSettings(
                integer(accessLog, "max_bytes", (int) d.maxBytes(), 0, Integer.MAX_VALUE),
                integer(accessLog, "files", d.files(), 1, 1_000));
    }

    private MountConfig readMount(Member member) {
        String path = member.key();
        if (!MountPath.isValid(path)) {
            throw problem(member.line(), "\"" + path + "\" is not a valid mount (it must start with / and use only"
                    + " letters, digits and ._-~/)");
        }
        Obj mount = object(member.value(), "mount " + path);
        checkKeys(mount, MOUNT_KEYS, "mounts." + path + ".");
        Optional<String> fallback = optionalString(mount, "fallback");
        fallback.ifPresent(f -> {
            if (!MountPath.isValid(f)) {
                throw problem(mount.members().get("fallback").line(), "fallback \"" + f + "\" is not a valid mount");
            }
            if (f.equals(path)) {
                throw problem(mount.members().get("fallback").line(), "mount " + path + " falls back to itself");
            }
        });
        Optional<Integer> burst = member(mount, "burst_size").map(m -> integer(mount, "burst_size", 0, 0, 16 * 1024 * 1024));
        return new MountConfig(path, secret(mount, "password"), integer(mount, "max_listeners", 0, 0, 10_000_000),
                burst, fallback, bool(mount, "fallback_override", false), bool(mount, "public", true),
                bool(mount, "hidden", false), optionalString(mount, "name"),
                member(mount, "auth").map(m -> readAuth(object(m.value(), "auth"), path)).orElse(ListenerAuth.NONE),
                member(mount, "file_bitrate").map(m -> integer(mount, "file_bitrate", 0, 8, 10_000)),
                bool(mount, "enabled", true));
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
                    if (!(user.value() instanceof Json.Str password) || password.value().isEmpty()) {
                        throw problem(user.line(), "the password of listener \"" + user.key() + "\" must be a non-empty string");
                    }
                    users.put(user.key(), hasher.isHash(password.value())
                            ? new Secret.Hashed(password.value()) : new Secret.Plain(password.value()));
                }));
                yield new ListenerAuth.StaticUsers(users);
            }
            case "url" -> new ListenerAuth.UrlHook(
                    url(auth, "listener_add").orElseThrow(() -> problem(line, "auth type \"url\" needs \"listener_add\"")),
                    url(auth, "listener_remove"),
                    Duration.ofSeconds(integer(auth, "timeout", 5, 1, 300)),
                    bool(auth, "admit_when_down", false));
            default -> throw problem(line, "auth \"type\" must be \"none\", \"users\" or \"url\", not \"" + type + "\"");
        };
    }

    private static Optional<URI> url(Obj obj, String key) {
        return optionalString(obj, key).map(text -> {
            try {
                URI uri = new URI(text);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new URISyntaxException(text, "not an http(s) URL");
                }
                return uri;
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

    private static Obj object(Json.Value value, String what) {
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
            case Json.Str s -> s.value();
            case Json.Null n -> null;
            default -> throw problem(m.line(), "\"" + key + "\" must be a string in double quotes");
        });
    }

    private static int integer(Obj obj, String key, int fallback, int min, int max) {
        return member(obj, key).map(m -> {
            if (!(m.value() instanceof Json.Num num)) {
                throw problem(m.line(), "\"" + key + "\" must be a whole number");
            }
            BigDecimal value = num.value();
            if (value.stripTrailingZeros().scale() > 0 || value.compareTo(BigDecimal.valueOf(min)) < 0
                    || value.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw problem(m.line(), "\"" + key + "\" must be a whole number from " + min + " to " + max
                        + ", not " + value.toPlainString());
            }
            return value.intValue();
        }).orElse(fallback);
    }

    private static boolean bool(Obj obj, String key, boolean fallback) {
        return member(obj, key).map(m -> {
            if (m.value() instanceof Json.Bool b) {
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

    static String write(ServerConfig c) {
        StringBuilder out = new StringBuilder("{\n");
        field(out, 1, "host", Json.quote(c.host()));
        field(out, 1, "port", Integer.toString(c.port()));
        field(out, 1, "hostname", Json.quote(c.hostname()));
        field(out, 1, "location", Json.quote(c.location()));
        field(out, 1, "admin_email", Json.quote(c.adminEmail()));
        field(out, 1, "admin_user", Json.quote(c.adminUser()));
        c.adminPassword().ifPresent(s -> field(out, 1, "admin_password", Json.quote(encoded(s))));
        c.sourcePassword().ifPresent(s -> field(out, 1, "source_password", Json.quote(encoded(s))));
        field(out, 1, "client_addresses", Json.quote(c.clientAddresses().name().toLowerCase(java.util.Locale.ROOT)));
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
                out.append("    {\"name\": ").append(Json.quote(u.name()))
                        .append(", \"password\": ").append(Json.quote(encoded(u.password())))
                        .append(", \"role\": ").append(Json.quote(u.role().name().toLowerCase(java.util.Locale.ROOT)))
                        .append(", \"mounts\": [")
                        .append(String.join(", ", u.mounts().stream().sorted().map(Json::quote).toList()))
                        .append("]},\n");
            }
            trimComma(out);
            out.append("  ],\n");
        }
        if (!c.apiTokens().isEmpty()) {
            out.append("  \"api_tokens\": [\n");
            for (ApiToken t : c.apiTokens()) {
                out.append("    {\"id\": ").append(Json.quote(t.id()))
                        .append(", \"name\": ").append(Json.quote(t.name()))
                        .append(", \"user\": ").append(Json.quote(t.user()))
                        .append(", \"sha256\": ").append(Json.quote(t.sha256()))
                        .append(", \"created\": ").append(Json.quote(t.created().toString()))
                        .append("},\n");
            }
            trimComma(out);
            out.append("  ],\n");
        }
        RelaysSection.write(out, c.relays());
        out.append("  \"mounts\": {");
        boolean first = true;
        for (MountConfig m : c.mounts().values()) {
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append("    ").append(Json.quote(m.path())).append(": {\n");
            m.password().ifPresent(s -> field(out, 3, "password", Json.quote(encoded(s))));
            field(out, 3, "max_listeners", Integer.toString(m.maxListeners()));
            m.burstSize().ifPresent(b -> field(out, 3, "burst_size", Integer.toString(b)));
            m.fallback().ifPresent(f -> field(out, 3, "fallback", Json.quote(f)));
            field(out, 3, "fallback_override", Boolean.toString(m.fallbackOverride()));
            field(out, 3, "public", Boolean.toString(m.isPublic()));
            field(out, 3, "hidden", Boolean.toString(m.hidden()));
            m.name().ifPresent(n -> field(out, 3, "name", Json.quote(n)));
            writeAuth(out, m.auth());
            m.fileBitrate().ifPresent(b -> field(out, 3, "file_bitrate", Integer.toString(b)));
            if (!m.enabled()) {
                field(out, 3, "enabled", "false");
            }
            trimComma(out);
            out.append("    }");
        }
        out.append(first ? "}\n" : "\n  }\n");
        return out.append("}\n").toString();
    }

    private static void writeAuth(StringBuilder out, ListenerAuth auth) {
        switch (auth) {
            case ListenerAuth.None none -> { }
            case ListenerAuth.StaticUsers users -> {
                StringBuilder list = new StringBuilder("{");
                users.users().forEach((user, secret) -> list.append(list.length() > 1 ? ", " : "")
                        .append(Json.quote(user)).append(": ").append(Json.quote(encoded(secret))));
                field(out, 3, "auth", "{\"type\": \"users\", \"users\": " + list.append("}") + "}");
            }
            case ListenerAuth.UrlHook hook -> field(out, 3, "auth", "{\"type\": \"url\", \"listener_add\": "
                    + Json.quote(hook.listenerAdd().toString())
                    + hook.listenerRemove().map(r -> ", \"listener_remove\": " + Json.quote(r.toString())).orElse("")
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

    private static void field(StringBuilder out, int depth, String key, String json) {
        out.append("  ".repeat(depth)).append(Json.quote(key)).append(": ").append(json).append(",\n");
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
