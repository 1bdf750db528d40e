package org.tinyice.adapters.persistence.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.AcmeConfig;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.TlsConfig;

/**
 * The {@code "tls"} object and the {@code "https_redirect"} key of {@code tinyice.json}, read and written.
 * The rules are {@link TlsConfig}'s; this finds the values and the line to blame.
 */
final class TlsSection {

    static final String KEY = "tls";
    static final String REDIRECT_KEY = "https_redirect";
    static final String ACME_KEY = "acme";
    private static final Set<String> KEYS = Set.of("port", "cert", "key");
    private static final Set<String> ACME_KEYS = Set.of("domains", "email", "directory", "challenge_port",
            "directory_ca");

    private TlsSection() {
    }

    /** @param redirect the {@code "https_redirect"} member, if the file has one */
    static Optional<TlsConfig> read(Optional<JsonTree.Member> tls, Optional<JsonTree.Member> redirect,
                                    Optional<JsonTree.Member> acmeMember) {
        Optional<AcmeConfig> acme = acmeMember.map(TlsSection::readAcme);
        if (acme.isPresent() && tls.isEmpty()) {
            throw new RelaysSection.Problem(acmeMember.get().line(),
                    "\"acme\" needs a \"tls\" port to serve its certificate on: \"tls\": {\"port\": 443}");
        }
        boolean httpsRedirect = false;
        if (redirect.isPresent()) {
            if (!(redirect.get().value() instanceof JsonTree.Bool flag)) {
                throw new RelaysSection.Problem(redirect.get().line(), "\"https_redirect\" must be true or false");
            }
            httpsRedirect = flag.value();
        }
        if (tls.isEmpty()) {
            if (httpsRedirect) {
                throw new RelaysSection.Problem(redirect.get().line(),
                        "\"https_redirect\" needs a \"tls\" port to send browsers to");
            }
            return Optional.empty();
        }
        if (!(tls.get().value() instanceof JsonTree.Obj entry)) {
            throw new RelaysSection.Problem(tls.get().line(),
                    "\"tls\" must be {\"port\": 8443, \"cert\": \"fullchain.pem\", \"key\": \"privkey.pem\"}");
        }
        for (JsonTree.Member member : entry.members().values()) {
            if (!KEYS.contains(member.key())) {
                throw new RelaysSection.Problem(member.line(), "unknown key \"tls." + member.key()
                        + "\" (known keys: cert, key, port)");
            }
        }
        JsonTree.Member port = entry.members().get("port");
        int portNumber = 8443;
        if (port != null) {
            if (!(port.value() instanceof JsonTree.Num num) || num.value().stripTrailingZeros().scale() > 0) {
                throw new RelaysSection.Problem(port.line(), "\"tls.port\" must be a whole number from 0 to 65535");
            }
            portNumber = num.value().intValue();
        }
        try {
            String cert = text(entry, "cert");
            String key = text(entry, "key");
            if (acme.isPresent()) {
                cert = cert == null ? TlsConfig.ACME_CERT : cert;
                key = key == null ? TlsConfig.ACME_KEY : key;
            }
            return Optional.of(new TlsConfig(portNumber, cert, key, httpsRedirect, acme));
        } catch (InvalidSettingException e) {
            String blamed = e.settings().isEmpty() ? "" : e.settings().getFirst().replace("tls.", "");
            JsonTree.Member member = entry.members().get(blamed);
            throw new RelaysSection.Problem(member == null ? entry.line() : member.line(), e.getMessage());
        }
    }

    private static AcmeConfig readAcme(JsonTree.Member member) {
        if (!(member.value() instanceof JsonTree.Obj entry)) {
            throw new RelaysSection.Problem(member.line(), "\"acme\" must be {\"domains\": [\"radio.example.org\"],"
                    + " \"email\": \"...\"}");
        }
        for (JsonTree.Member m : entry.members().values()) {
            if (!ACME_KEYS.contains(m.key())) {
                throw new RelaysSection.Problem(m.line(), "unknown key \"acme." + m.key()
                        + "\" (known keys: challenge_port, directory, directory_ca, domains, email)");
            }
        }
        List<String> domains = new ArrayList<>();
        JsonTree.Member list = entry.members().get("domains");
        if (list != null) {
            if (!(list.value() instanceof JsonTree.Arr items)) {
                throw new RelaysSection.Problem(list.line(), "\"acme.domains\" must be a list of names");
            }
            for (JsonTree.Value item : items.items()) {
                if (!(item instanceof JsonTree.Str name)) {
                    throw new RelaysSection.Problem(item.line(), "\"acme.domains\" must be a list of names");
                }
                domains.add(name.value());
            }
        }
        Optional<Integer> challengePort = Optional.empty();
        JsonTree.Member port = entry.members().get("challenge_port");
        if (port != null) {
            if (!(port.value() instanceof JsonTree.Num num) || num.value().stripTrailingZeros().scale() > 0) {
                throw new RelaysSection.Problem(port.line(), "\"acme.challenge_port\" must be a whole number from 0"
                        + " to 65535");
            }
            challengePort = Optional.of(num.value().intValue());
        }
        String directory = Optional.ofNullable(text(entry, "directory", "acme.")).orElse(AcmeConfig.LETS_ENCRYPT.toString());
        try {
            return new AcmeConfig(domains, Optional.ofNullable(text(entry, "email", "acme.")),
                    URI.create(directory), challengePort, Optional.ofNullable(text(entry, "directory_ca", "acme.")));
        } catch (IllegalArgumentException e) {
            String blamed = e instanceof InvalidSettingException invalid && !invalid.settings().isEmpty()
                    ? invalid.settings().getFirst().replace("acme.", "") : "directory";
            JsonTree.Member m = entry.members().get(blamed);
            throw new RelaysSection.Problem(m == null ? entry.line() : m.line(), e.getMessage());
        }
    }

    private static String text(JsonTree.Obj entry, String key) {
        return text(entry, key, "tls.");
    }

    private static String text(JsonTree.Obj entry, String key, String prefix) {
        JsonTree.Member member = entry.members().get(key);
        if (member == null) {
            return null;
        }
        if (!(member.value() instanceof JsonTree.Str str)) {
            throw new RelaysSection.Problem(member.line(), "\"" + prefix + key + "\" must be text in quotes");
        }
        return str.value();
    }

    /** Appends {@code "tls": {...},} (and {@code "https_redirect": true,}) at depth 1, nothing without TLS. */
    static void write(StringBuilder out, Optional<TlsConfig> tls) {
        tls.ifPresent(t -> {
            out.append("  \"").append(KEY).append("\": {\"port\": ").append(t.port())
                    .append(", \"cert\": ").append(JsonConfigurationFile.quote(t.cert()))
                    .append(", \"key\": ").append(JsonConfigurationFile.quote(t.key())).append("},\n");
            if (t.httpsRedirect()) {
                out.append("  \"").append(REDIRECT_KEY).append("\": true,\n");
            }
            t.acme().ifPresent(acme -> {
                out.append("  \"").append(ACME_KEY).append("\": {\"domains\": [")
                        .append(String.join(", ", acme.domains().stream().map(JsonConfigurationFile::quote).toList()))
                        .append("]");
                acme.email().ifPresent(e -> out.append(", \"email\": ").append(JsonConfigurationFile.quote(e)));
                out.append(", \"directory\": ").append(JsonConfigurationFile.quote(acme.directory().toString()));
                acme.challengePort().ifPresent(p -> out.append(", \"challenge_port\": ").append(p));
                acme.directoryCa().ifPresent(ca -> out.append(", \"directory_ca\": ")
                        .append(JsonConfigurationFile.quote(ca)));
                out.append("},\n");
            });
        });
    }
}
