package org.tinyice.application.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code "acme"} of {@code tinyice.json}: certificates for the HTTPS port got and renewed by ACME
 * (Let's Encrypt and others), answering HTTP-01 challenges on the plain port. See docs/tls.md.
 *
 * @param domains       the names the certificate is for (the first is its subject)
 * @param email         the account's contact, if any (the CA writes there before a certificate expires)
 * @param directory     the CA's ACME directory URL
 * @param challengePort another port to answer challenges on besides the plain one (e.g. 80), if any
 * @param directoryCa   a PEM file of the CA that signs the directory's own HTTPS certificate, for private
 *                      ACME servers; relative to the data directory. Empty: the JDK's trusted CAs
 */
public record AcmeConfig(List<String> domains, Optional<String> email, URI directory, Optional<Integer> challengePort,
                         Optional<String> directoryCa) {

    /** Let's Encrypt's production directory. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");

    public AcmeConfig {
        domains = List.copyOf(domains);
        if (domains.isEmpty()) {
            throw new InvalidSettingException("\"acme.domains\" must list the name(s) the certificate is for",
                    "acme.domains");
        }
        for (String domain : domains) {
            if (!domain.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                throw new InvalidSettingException("\"acme.domains\": \"" + domain + "\" is not a host name",
                        "acme.domains");
            }
        }
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(directory, "directory");
        if (!"https".equals(directory.getScheme()) || directory.getHost() == null) {
            throw new InvalidSettingException("\"acme.directory\" must be the CA's https:// directory URL",
                    "acme.directory");
        }
        Objects.requireNonNull(challengePort, "challengePort");
        challengePort.ifPresent(p -> Settings.requireBetween("acme.challenge_port", p, 0, 65_535));
        Objects.requireNonNull(directoryCa, "directoryCa");
    }
}
