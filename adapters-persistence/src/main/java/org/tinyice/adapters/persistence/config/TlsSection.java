package org.tinyice.adapters.persistence.config;

import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.TlsConfig;

/**
 * The {@code "tls"} object and the {@code "https_redirect"} key of {@code tinyice.json}, read and written.
 * The rules are {@link TlsConfig}'s; this finds the values and the line to blame.
 */
final class TlsSection {

    static final String KEY = "tls";
    static final String REDIRECT_KEY = "https_redirect";
    private static final Set<String> KEYS = Set.of("port", "cert", "key");

    private TlsSection() {
    }

    /** @param redirect the {@code "https_redirect"} member, if the file has one */
    static Optional<TlsConfig> read(Optional<JsonTree.Member> tls, Optional<JsonTree.Member> redirect) {
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
            return Optional.of(new TlsConfig(portNumber, text(entry, "cert"), text(entry, "key"), httpsRedirect));
        } catch (InvalidSettingException e) {
            String blamed = e.settings().isEmpty() ? "" : e.settings().getFirst().replace("tls.", "");
            JsonTree.Member member = entry.members().get(blamed);
            throw new RelaysSection.Problem(member == null ? entry.line() : member.line(), e.getMessage());
        }
    }

    private static String text(JsonTree.Obj entry, String key) {
        JsonTree.Member member = entry.members().get(key);
        if (member == null) {
            return null;
        }
        if (!(member.value() instanceof JsonTree.Str str)) {
            throw new RelaysSection.Problem(member.line(), "\"tls." + key + "\" must be a file name in quotes");
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
        });
    }
}
