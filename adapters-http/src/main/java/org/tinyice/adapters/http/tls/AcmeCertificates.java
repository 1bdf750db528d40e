package org.tinyice.adapters.http.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.tinyice.application.config.AcmeConfig;

/**
 * Certificates for the HTTPS port from an ACME CA (RFC 8555, with acme4j): the account key and the
 * certificate files kept in the data directory (0600), HTTP-01 challenges answered from
 * {@link #challengeAnswer} on the plain port, renewal at two thirds of the certificate's lifetime,
 * retries with a doubling backoff, and each new certificate put in force through {@link CertificateFiles}
 * (the same checks and live reload as files renewed by hand).
 *
 * <p>Before the first certificate is issued the files hold a self-signed placeholder, so the HTTPS
 * port can open at start (Helidon cannot add a listener later) and the plain port can answer the
 * CA's challenge.
 */
public final class AcmeCertificates implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AcmeCertificates.class.getName());
    /** Where HTTP-01 asks (RFC 8555 section 8.3). */
    public static final String CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
    /** The first retry after a failed order; doubled each time up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    private static final Duration ORDER_TIMEOUT = Duration.ofMinutes(2);
    private static final String PLACEHOLDER_ISSUER = "CN=TinyIce placeholder (waiting for ACME)";

    private final AcmeConfig config;
    private final Path certFile;
    private final Path keyFile;
    private final Path accountKeyFile;
    private final Path directoryCa;
    private final Clock clock;
    private final Map<String, String> challenges = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile CertificateFiles files;
    private volatile Instant nextRenewal = Instant.EPOCH;
    private volatile String lastError = "";
    private volatile long failures;
    private volatile long issued;
    private boolean renewRequested;
    private boolean closed;
    private Thread worker;

    /** The state shown in {@code /api/tls}, {@code /metrics} and on the dashboard. */
    public record State(Optional<Instant> validUntil, Instant nextRenewal, String lastError, long issued,
                        long failures) {
    }

    /**
     * @param dataDir where the account key ({@code acme-account.pem}) and {@code directory_ca} are
     */
    public AcmeCertificates(AcmeConfig config, Path certFile, Path keyFile, Path dataDir, Clock clock) {
        this.config = config;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.accountKeyFile = dataDir.resolve("acme-account.pem");
        this.directoryCa = config.directoryCa().map(dataDir::resolve).orElse(null);
        this.clock = clock;
        // acme4j builds its CSR with BouncyCastle and asks for it by provider name
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /**
     * Makes sure the files hold a usable pair (a placeholder when there is no certificate yet, or when the
     * one there has expired) and reads it: the HTTPS port starts with it.
     */
    public CertificateFiles prepareFiles() throws PemCertificate.Refused {
        try {
            PemCertificate.read(certFile, keyFile, clock.instant());
        } catch (PemCertificate.Refused none) {
            writePlaceholder();
        }
        files = new CertificateFiles(certFile, keyFile, clock);
        nextRenewal = renewalTime(files.current());
        return files;
    }

    /** The key authorization for an HTTP-01 token the CA asks for, if it is one of ours now. */
    public Optional<String> challengeAnswer(String token) {
        return Optional.ofNullable(challenges.get(token));
    }

    public State state() {
        CertificateFiles now = files;
        Optional<Instant> validUntil = now == null ? Optional.empty()
                : now.running().filter(c -> !isPlaceholder(c)).map(PemCertificate::notAfter);
        return new State(validUntil, nextRenewal, lastError, issued, failures);
    }

    /** Starts the renewal loop (after the server listens: the CA's challenge comes to the plain port). */
    public void start() {
        worker = Thread.ofVirtual().name("tinyice-acme").start(this::renewals);
    }

    /** Orders a new certificate now, whatever the renewal time (the operator's "renew now", and tests). */
    public void renewNow() {
        lock.lock();
        try {
            renewRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void renewals() {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            lock.lock();
            try {
                while (!closed && !renewRequested && clock.instant().isBefore(nextRenewal)) {
                    long millis = Math.max(1, Duration.between(clock.instant(), nextRenewal).toMillis());
                    // a long sleep is cut in slices so that a changed system clock cannot push renewal far out
                    wake.await(Math.min(millis, Duration.ofMinutes(10).toMillis()),
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                if (closed) {
                    return;
                }
                renewRequested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                order();
                issued++;
                lastError = "";
                backoff = FIRST_BACKOFF;
                nextRenewal = renewalTime(files.current());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failures++;
                lastError = clock.instant() + ": " + describe(e);
                nextRenewal = clock.instant().plus(backoff);
                LOG.log(Level.WARNING, "ACME certificate for " + config.domains() + " not issued (next try "
                        + nextRenewal + "): " + describe(e));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** One order: account, authorizations by HTTP-01, a new key and CSR, the chain written and loaded. */
    private void order() throws Exception {
        Session session = new Session(config.directory(), provider());
        AccountBuilder accountBuilder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
        config.email().ifPresent(accountBuilder::addEmail);
        Account account = accountBuilder.create(session);
        Order order = account.newOrder().domains(config.domains()).create();
        for (Authorization authorization : order.getAuthorizations()) {
            if (authorization.getStatus() == Status.VALID) {
                continue;
            }
            Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no HTTP-01 challenge for "
                            + authorization.getIdentifier().getDomain()));
            challenges.put(challenge.getToken(), challenge.getAuthorization());
            try {
                challenge.trigger();
                Status status = challenge.waitForCompletion(ORDER_TIMEOUT);
                if (status != Status.VALID) {
                    throw new AcmeException("the CA could not check " + authorization.getIdentifier().getDomain()
                            + " at http://" + authorization.getIdentifier().getDomain() + CHALLENGE_PREFIX + "...: "
                            + challenge.getError().map(Object::toString).orElse(status.toString()));
                }
            } finally {
                challenges.remove(challenge.getToken());
            }
        }
        KeyPair domainKey = KeyPairGenerator.getInstance("RSA").genKeyPair();
        order.execute(domainKey);
        Status status = order.waitForCompletion(ORDER_TIMEOUT);
        if (status != Status.VALID) {
            throw new AcmeException("the order ended " + status + ": "
                    + order.getError().map(Object::toString).orElse("no reason given"));
        }
        StringWriter chain = new StringWriter();
        order.getCertificate().writeCertificate(chain);
        writeSecret(keyFile, pkcs8(domainKey));
        writeSecret(certFile, chain.toString());
        String line = files.reload();
        if (!line.startsWith("TLS certificate reloaded") && !line.startsWith("TLS certificate unchanged")) {
            throw new AcmeException("the issued certificate was not taken: " + line);
        }
        LOG.log(Level.INFO, "ACME certificate for " + config.domains() + " issued; " + line);
    }

    private KeyPair accountKey() throws IOException {
        if (Files.exists(accountKeyFile)) {
            return KeyPairUtils.readKeyPair(new StringReader(Files.readString(accountKeyFile)));
        }
        KeyPair key = KeyPairUtils.createECKeyPair("secp256r1");
        StringWriter pem = new StringWriter();
        KeyPairUtils.writeKeyPair(key, pem);
        writeSecret(accountKeyFile, pem.toString());
        return key;
    }

    /** The CA's directory, trusting {@code directory_ca} for its HTTPS when one is configured. */
    private GenericAcmeProvider provider() {
        return new GenericAcmeProvider() {
            @Override
            public HttpClient createHttpClient(NetworkSettings settings) {
                HttpClient.Builder builder = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(settings.getTimeout())
                        .proxy(settings.getProxySelector());
                if (directoryCa != null) {
                    builder.sslContext(trusting(directoryCa));
                }
                return builder.build();
            }
        };
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("acme.directory_ca " + caFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Two thirds into the certificate's lifetime; at once for the placeholder. */
    private Instant renewalTime(PemCertificate certificate) {
        if (isPlaceholder(certificate)) {
            return Instant.EPOCH;
        }
        Duration lifetime = Duration.between(certificate.notBefore(), certificate.notAfter());
        return certificate.notBefore().plus(lifetime.multipliedBy(2).dividedBy(3));
    }

    private static boolean isPlaceholder(PemCertificate certificate) {
        return certificate.chain().getFirst().getIssuerX500Principal().getName()
                .equals(new javax.security.auth.x500.X500Principal(PLACEHOLDER_ISSUER).getName());
    }

    private void writePlaceholder() {
        try {
            KeyPair key = KeyPairGenerator.getInstance("RSA").genKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name(PLACEHOLDER_ISSUER);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(7))),
                            name, key.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
            writeSecret(keyFile, pkcs8(key));
            writeSecret(certFile, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the placeholder certificate: " + e.getMessage(), e);
        }
    }

    private static String pkcs8(KeyPair key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** Written beside, made 0600, then moved over the old file: a reader sees the old or the new whole. */
    private static void writeSecret(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** For the directory's URI in messages. */
    public URI directory() {
        return config.directory();
    }
}
