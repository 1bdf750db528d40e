package org.tinyice.adapters.http.tls;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.tinyice.application.config.TlsConfig;

/**
 * The HTTPS port's certificate, wherever it comes from: files kept by the operator ({@link CertificateFiles})
 * or, with {@code "acme"}, files kept by {@link AcmeCertificates}. Absent when {@code "tls"} is not configured.
 */
public final class HttpsCertificates implements AutoCloseable {

    private final Optional<TlsConfig> config;
    private final Optional<CertificateFiles> files;
    private final Optional<AcmeCertificates> acme;

    private HttpsCertificates(Optional<TlsConfig> config, Optional<CertificateFiles> files,
                              Optional<AcmeCertificates> acme) {
        this.config = config;
        this.files = files;
        this.acme = acme;
    }

    public static HttpsCertificates none() {
        return new HttpsCertificates(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads the pair now (with ACME: a placeholder until the first certificate); a bad pair stops the start. */
    public static HttpsCertificates of(TlsConfig tls, Path dataDir, Clock clock) throws PemCertificate.Refused {
        Path cert = dataDir.resolve(tls.cert());
        Path key = dataDir.resolve(tls.key());
        if (tls.acme().isPresent()) {
            AcmeCertificates acme = new AcmeCertificates(tls.acme().get(), cert, key, dataDir, clock);
            return new HttpsCertificates(Optional.of(tls), Optional.of(acme.prepareFiles()), Optional.of(acme));
        }
        return new HttpsCertificates(Optional.of(tls), Optional.of(new CertificateFiles(cert, key, clock)),
                Optional.empty());
    }

    public Optional<TlsConfig> config() {
        return config;
    }

    public Optional<CertificateFiles> files() {
        return files;
    }

    public Optional<AcmeCertificates> acme() {
        return acme;
    }

    /** The answer to an ACME HTTP-01 challenge token, if one is pending. */
    public Optional<String> challengeAnswer(String token) {
        return acme.flatMap(a -> a.challengeAnswer(token));
    }

    /** Another port to answer ACME challenges on ({@code acme.challenge_port}), if it differs from {@code plainPort}. */
    public Optional<Integer> challengePort(int plainPort) {
        return config.flatMap(TlsConfig::acme).flatMap(a -> a.challengePort()).filter(p -> p != plainPort);
    }

    @Override
    public void close() {
        acme.ifPresent(AcmeCertificates::close);
        files.ifPresent(CertificateFiles::close);
    }
}
