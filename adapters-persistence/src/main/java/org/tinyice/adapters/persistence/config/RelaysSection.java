package org.tinyice.adapters.persistence.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.MasterConfig;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.config.ServerConfig;

/**
 * The {@code "relays"} list, the {@code "master"} and the {@code "redirect_to"} edges of {@code tinyice.json},
 * read and written. Kept apart from
 * {@link JsonConfigurationFile} so that the file's reader can change without touching relays: the
 * rules themselves are {@link RelayConfig}'s, this only finds the values and the line to blame.
 */
final class RelaysSection {

    static final String KEY = "relays";
    static final String MASTER_KEY = "master";
    static final String REDIRECT_KEY = "redirect_to";
    private static final Set<String> MASTER_KEYS = Set.of("url", "username", "password", "interval", "on_demand",
            "public_url");
    private static final Set<String> KEYS = Set.of("url", "mount", "username", "password", "on_demand", "metadata",
            "grace_seconds", "on_demand_idle_seconds");

    /** A mistake in the list, at a line of the file. */
    static final class Problem extends RuntimeException {
        final int line;

        Problem(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private RelaysSection() {
    }

    static List<RelayConfig> read(JsonTree.Value value) {
        if (!(value instanceof JsonTree.Arr list)) {
            throw new Problem(value.line(), "\"relays\" must be a JSON list [...] of {\"url\": \"http://host:port/mount\","
                    + " ...}");
        }
        List<RelayConfig> relays = new ArrayList<>();
        Set<String> mounts = new HashSet<>();
        for (JsonTree.Value item : list.items()) {
            if (!(item instanceof JsonTree.Obj relay)) {
                throw new Problem(item.line(), "each of \"relays\" must be a JSON object {...}");
            }
            RelayConfig read = readOne(relay);
            if (!mounts.add(read.mount())) {
                throw new Problem(relay.line(), "relay mount " + read.mount() + " is listed twice in \"relays\"");
            }
            relays.add(read);
        }
        return relays;
    }

    private static RelayConfig readOne(JsonTree.Obj relay) {
        for (JsonTree.Member member : relay.members().values()) {
            if (!KEYS.contains(member.key())) {
                throw new Problem(member.line(), "unknown key \"relays[]." + member.key() + "\" (known keys: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String urlText = string(relay, "url")
                .orElseThrow(() -> new Problem(relay.line(), "a relay needs \"url\": \"http://host:port/mount\""));
        URI url;
        try {
            url = new URI(urlText);
        } catch (URISyntaxException e) {
            throw new Problem(line(relay, "url"), "relay \"url\" is not a URL: " + urlText);
        }
        try {
            return new RelayConfig(url, string(relay, "mount").orElse(url.getPath()), string(relay, "username"),
                    string(relay, "password"), bool(relay, "on_demand", false), bool(relay, "metadata", true),
                    Duration.ofSeconds(seconds(relay, "grace_seconds", RelayConfig.DEFAULT_GRACE.toSeconds())),
                    Duration.ofSeconds(seconds(relay, "on_demand_idle_seconds", RelayConfig.DEFAULT_IDLE.toSeconds())));
        } catch (InvalidSettingException e) {
            throw new Problem(e.settings().stream().filter(relay.members()::containsKey).findFirst()
                    .map(key -> line(relay, key)).orElse(relay.line()), e.getMessage());
        }
    }

    static MasterConfig readMaster(JsonTree.Value value) {
        if (!(value instanceof JsonTree.Obj master)) {
            throw new Problem(value.line(), "\"master\" must be a JSON object {\"url\": \"http://host:port\", ...}");
        }
        for (JsonTree.Member member : master.members().values()) {
            if (!MASTER_KEYS.contains(member.key())) {
                throw new Problem(member.line(), "unknown key \"master." + member.key() + "\" (known keys: "
                        + String.join(", ", MASTER_KEYS.stream().sorted().toList()) + ")");
            }
        }
        String urlText = string(master, "url")
                .orElseThrow(() -> new Problem(master.line(), "\"master\" needs \"url\": \"http://host:port\""));
        URI url;
        try {
            url = new URI(urlText);
        } catch (URISyntaxException e) {
            throw new Problem(line(master, "url"), "master \"url\" is not a URL: " + urlText);
        }
        JsonTree.Member interval = master.members().get("interval");
        long seconds = MasterConfig.DEFAULT_INTERVAL.toSeconds();
        if (interval != null) {
            if (!(interval.value() instanceof JsonTree.Num num) || num.value().stripTrailingZeros().scale() > 0
                    || num.value().signum() <= 0
                    || num.value().compareTo(BigDecimal.valueOf(MasterConfig.MAX_INTERVAL.toSeconds())) > 0) {
                throw new Problem(interval.line(), "master \"interval\" must be a whole number of seconds from 1 to "
                        + MasterConfig.MAX_INTERVAL.toSeconds());
            }
            seconds = num.value().longValue();
        }
        try {
            Optional<EdgeAddress> publicUrl = string(master, "public_url")
                    .map(text -> EdgeAddress.parse(text, "public_url"));
            return new MasterConfig(url, string(master, "username").orElse(ServerConfig.DEFAULT_RELAY_USER),
                    string(master, "password"), Duration.ofSeconds(seconds), bool(master, "on_demand", false),
                    publicUrl);
        } catch (InvalidSettingException e) {
            throw new Problem(e.settings().stream().filter(master.members()::containsKey).findFirst()
                    .map(key -> line(master, key)).orElse(master.line()), e.getMessage());
        }
    }

    /** Appends {@code "master": {...},} at depth 1. */
    static void writeMaster(StringBuilder out, MasterConfig master) {
        out.append("  \"").append(MASTER_KEY).append("\": {\"url\": ")
                .append(JsonConfigurationFile.quote(master.url().toString()))
                .append(", \"username\": ").append(JsonConfigurationFile.quote(master.username()));
        master.password().ifPresent(p -> out.append(", \"password\": ").append(JsonConfigurationFile.quote(p)));
        out.append(", \"interval\": ").append(master.interval().toSeconds())
                .append(", \"on_demand\": ").append(master.onDemand());
        master.publicUrl().ifPresent(u -> out.append(", \"public_url\": ")
                .append(JsonConfigurationFile.quote(u.toString())));
        out.append("},\n");
    }

    static List<EdgeAddress> readRedirectTo(JsonTree.Value value) {
        String problem = "\"redirect_to\" must be a JSON list of edges [\"http://edge1:8000\", ...]";
        if (!(value instanceof JsonTree.Arr list)) {
            throw new Problem(value.line(), problem);
        }
        List<EdgeAddress> edges = new ArrayList<>();
        for (JsonTree.Value item : list.items()) {
            if (!(item instanceof JsonTree.Str text)) {
                throw new Problem(item.line(), problem);
            }
            try {
                edges.add(EdgeAddress.parse(text.value(), REDIRECT_KEY));
            } catch (InvalidSettingException e) {
                throw new Problem(item.line(), e.getMessage());
            }
        }
        return edges;
    }

    /** Appends {@code "redirect_to": [...],} at depth 1; nothing when there are none. */
    static void writeRedirectTo(StringBuilder out, List<EdgeAddress> edges) {
        if (edges.isEmpty()) {
            return;
        }
        out.append("  \"").append(REDIRECT_KEY).append("\": [")
                .append(String.join(", ", edges.stream().map(e -> JsonConfigurationFile.quote(e.toString())).toList()))
                .append("],\n");
    }

    private static int line(JsonTree.Obj obj, String key) {
        JsonTree.Member member = obj.members().get(key);
        return member == null ? obj.line() : member.line();
    }

    private static Optional<String> string(JsonTree.Obj obj, String key) {
        JsonTree.Member member = obj.members().get(key);
        if (member == null || member.value() instanceof JsonTree.Null) {
            return Optional.empty();
        }
        if (member.value() instanceof JsonTree.Str text) {
            return Optional.of(text.value());
        }
        throw new Problem(member.line(), "\"" + key + "\" must be a string in double quotes");
    }

    private static boolean bool(JsonTree.Obj obj, String key, boolean fallback) {
        JsonTree.Member member = obj.members().get(key);
        if (member == null) {
            return fallback;
        }
        if (member.value() instanceof JsonTree.Bool b) {
            return b.value();
        }
        throw new Problem(member.line(), "\"" + key + "\" must be true or false");
    }

    private static long seconds(JsonTree.Obj obj, String key, long fallback) {
        JsonTree.Member member = obj.members().get(key);
        if (member == null) {
            return fallback;
        }
        if (member.value() instanceof JsonTree.Num num && num.value().stripTrailingZeros().scale() <= 0
                && num.value().compareTo(BigDecimal.valueOf(RelayConfig.MAX_GRACE.toSeconds())) <= 0
                && num.value().signum() >= 0) {
            return num.value().longValue();
        }
        throw new Problem(member.line(), "relay \"" + key + "\" must be a whole number of seconds from 0 to "
                + RelayConfig.MAX_GRACE.toSeconds());
    }

    /** Appends {@code "relays": [...],} at depth 1; nothing when there are none. */
    static void write(StringBuilder out, List<RelayConfig> relays) {
        if (relays.isEmpty()) {
            return;
        }
        out.append("  \"").append(KEY).append("\": [\n");
        for (int i = 0; i < relays.size(); i++) {
            RelayConfig r = relays.get(i);
            StringBuilder item = new StringBuilder("    {\"url\": ").append(JsonConfigurationFile.quote(r.url().toString()))
                    .append(", \"mount\": ").append(JsonConfigurationFile.quote(r.mount()));
            r.username().ifPresent(u -> item.append(", \"username\": ").append(JsonConfigurationFile.quote(u)));
            r.password().ifPresent(p -> item.append(", \"password\": ").append(JsonConfigurationFile.quote(p)));
            item.append(", \"on_demand\": ").append(r.onDemand())
                    .append(", \"metadata\": ").append(r.metadata())
                    .append(", \"grace_seconds\": ").append(r.grace().toSeconds())
                    .append(", \"on_demand_idle_seconds\": ").append(r.idle().toSeconds()).append('}');
            out.append(item).append(i + 1 < relays.size() ? ",\n" : "\n");
        }
        out.append("  ],\n");
    }
}
