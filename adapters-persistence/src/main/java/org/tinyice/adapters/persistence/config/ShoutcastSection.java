package org.tinyice.adapters.persistence.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.ShoutcastConfig;

/**
 * The {@code "shoutcast"} key of {@code tinyice.json}, read and written: one object
 * {@code {"port": 8001, "mount": "/live"}} or a list of them. The rules are {@link ShoutcastConfig}'s
 * (and {@code ServerConfig}'s for ports shared between entries); this finds the values and the line to blame.
 */
final class ShoutcastSection {

    static final String KEY = "shoutcast";
    private static final Set<String> KEYS = Set.of("port", "mount");

    private ShoutcastSection() {
    }

    static List<ShoutcastConfig> read(JsonTree.Value value) {
        List<JsonTree.Value> items = value instanceof JsonTree.Arr list ? list.items() : List.of(value);
        List<ShoutcastConfig> entries = new ArrayList<>();
        for (JsonTree.Value item : items) {
            if (!(item instanceof JsonTree.Obj entry)) {
                throw new RelaysSection.Problem(item.line(), "\"shoutcast\" must be {\"port\": 8001, \"mount\": \"/live\"}"
                        + " or a list of such objects");
            }
            entries.add(readOne(entry));
        }
        return entries;
    }

    private static ShoutcastConfig readOne(JsonTree.Obj entry) {
        for (JsonTree.Member member : entry.members().values()) {
            if (!KEYS.contains(member.key())) {
                throw new RelaysSection.Problem(member.line(), "unknown key \"shoutcast." + member.key()
                        + "\" (known keys: mount, port)");
            }
        }
        JsonTree.Member mount = entry.members().get("mount");
        if (mount == null || !(mount.value() instanceof JsonTree.Str path)) {
            throw new RelaysSection.Problem(mount == null ? entry.line() : mount.line(),
                    "a shoutcast entry needs \"mount\": \"/live\" (SHOUTcast v1 encoders cannot name one)");
        }
        Optional<Integer> port = Optional.empty();
        JsonTree.Member portMember = entry.members().get("port");
        if (portMember != null) {
            if (!(portMember.value() instanceof JsonTree.Num num) || num.value().stripTrailingZeros().scale() > 0
                    || num.value().signum() < 0 || num.value().compareTo(java.math.BigDecimal.valueOf(65_535)) > 0) {
                throw new RelaysSection.Problem(portMember.line(), "shoutcast \"port\" must be a whole number from 0"
                        + " to 65535 (left out: the server's port + 1)");
            }
            port = Optional.of(num.value().intValue());
        }
        try {
            return new ShoutcastConfig(port, path.value());
        } catch (InvalidSettingException e) {
            JsonTree.Member blamed = e.settings().stream().map(entry.members()::get).filter(m -> m != null)
                    .findFirst().orElse(null);
            throw new RelaysSection.Problem(blamed == null ? entry.line() : blamed.line(), e.getMessage());
        }
    }

    /** Appends {@code "shoutcast": [...],} at depth 1, nothing when there is no entry. */
    static void write(StringBuilder out, List<ShoutcastConfig> entries) {
        if (entries.isEmpty()) {
            return;
        }
        out.append("  \"").append(KEY).append("\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            ShoutcastConfig entry = entries.get(i);
            out.append("    {");
            entry.port().ifPresent(p -> out.append("\"port\": ").append(p).append(", "));
            out.append("\"mount\": ").append(JsonConfigurationFile.quote(entry.mount())).append('}')
                    .append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        out.append("  ],\n");
    }
}
