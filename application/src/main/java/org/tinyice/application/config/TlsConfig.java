package org.tinyice.application.config;

import java.util.Optional;

/**
 * {@code "tls"} of {@code tinyice.json}: a second port that speaks HTTPS and serves everything the plain
 * port serves, with a certificate and key read from PEM files (as certbot and most CAs write them).
 * Encoders and radios that cannot speak TLS keep the plain port.
 *
 * @param port          the HTTPS port (0: a free one, for tests)
 * @param cert          the certificate chain, leaf first, a path relative to the data directory (or absolute)
 * @param key           its private key (PKCS#8, RSA or EC), relative like {@code cert}
 * @param httpsRedirect {@code "https_redirect"}: browsers asking the plain port for a page are sent to HTTPS
 *                      (see docs/tls.md for what stays on plain HTTP)
 * @param acme          {@code "acme"}: the files are got and renewed by ACME, if present
 */
public record TlsConfig(int port, String cert, String key, boolean httpsRedirect, Optional<AcmeConfig> acme) {

    /** The files ACME writes when {@code "tls"} names none. */
    public static final String ACME_CERT = "acme-fullchain.pem";
    public static final String ACME_KEY = "acme-privkey.pem";

    /** Certificates from files only. */
    public TlsConfig(int port, String cert, String key, boolean httpsRedirect) {
        this(port, cert, key, httpsRedirect, Optional.empty());
    }

    public TlsConfig {
        java.util.Objects.requireNonNull(acme, "acme");
        Settings.requireBetween("tls.port", port, 0, 65_535);
        if (cert == null || cert.isBlank()) {
            throw new InvalidSettingException("\"tls.cert\" must name the certificate file (PEM, leaf first)",
                    "tls.cert");
        }
        if (key == null || key.isBlank()) {
            throw new InvalidSettingException("\"tls.key\" must name the private key file (PEM)", "tls.key");
        }
    }
}
