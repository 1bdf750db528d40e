package org.tinyice.adapters.http.tls;

import io.helidon.common.tls.Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key read from PEM files, checked before any handshake may use
 * them: the chain parses, the key is PKCS#8 (RSA or EC, what certbot and {@code openssl genpkey} write),
 * the key belongs to the leaf certificate, and the leaf is valid now. A pair that fails is refused
 * with a message saying which file and why, so a renewal that went wrong leaves the running
 * certificate in place instead of breaking every new handshake.
 *
 * @param chain leaf first
 */
public record PemCertificate(List<X509Certificate> chain, PrivateKey key) {

    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /** Why a pair cannot be used; the message is meant for the operator's log. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }

        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public PemCertificate {
        chain = List.copyOf(chain);
    }

    /** Reads and checks the pair; {@code now} decides whether the leaf is still (or already) valid. */
    public static PemCertificate read(Path certFile, Path keyFile, Instant now) throws Refused {
        List<X509Certificate> chain = readChain(certFile);
        PrivateKey key = readKey(keyFile);
        X509Certificate leaf = chain.getFirst();
        if (!belongTogether(key, leaf)) {
            throw new Refused(keyFile + " is not the key of the certificate in " + certFile + " ("
                    + leaf.getSubjectX500Principal().getName() + ")");
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new Refused(certFile + " expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new Refused(certFile + " is not valid before " + leaf.getNotBefore().toInstant());
        }
        return new PemCertificate(chain, key);
    }

    private static List<X509Certificate> readChain(Path certFile) throws Refused {
        byte[] bytes = readFile(certFile);
        try {
            List<X509Certificate> chain = new ArrayList<>();
            // the JDK's X.509 factory reads PEM blocks one after another, text between them skipped
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new Refused(certFile + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
            }
            return chain;
        } catch (CertificateException | RuntimeException e) {
            throw new Refused(certFile + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path keyFile) throws Refused {
        String text = new String(readFile(keyFile), StandardCharsets.US_ASCII);
        Matcher block = PRIVATE_KEY.matcher(text);
        if (!block.find()) {
            throw new Refused(keyFile + " holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)");
        }
        if (!block.group(1).isEmpty()) {
            // PKCS#1 / SEC1 ("RSA PRIVATE KEY", "EC PRIVATE KEY") and encrypted keys: one conversion away
            throw new Refused(keyFile + " is a \"" + block.group(1) + "PRIVATE KEY\"; convert it to PKCS#8 with"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + keyFile.getFileName() + " -out key.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new Refused(keyFile + ": the private key is not valid base64", e);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException tryNext) {
                // a PKCS#8 key says its algorithm inside; the factories that do not know it refuse it
            }
        }
        throw new Refused(keyFile + ": the private key is neither RSA nor EC");
    }

    /** Whether {@code key} signs what the leaf's public key verifies: a mismatch fails every handshake. */
    private static boolean belongTogether(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "tinyice key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] readFile(Path file) throws Refused {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Refused(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The certificate for Helidon's listener. The trust list is never consulted (client certificates are
     * not asked for), but Helidon 4.2's {@code WebServer.reloadTls} swaps the key and then throws a
     * NullPointerException when the running TLS has no trust manager to swap too.
     */
    public Tls tls() {
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).trust(List.of(chain.getLast())).build();
    }

    public Instant notAfter() {
        return chain.getFirst().getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return chain.getFirst().getNotBefore().toInstant();
    }

    /** SHA-256 of the leaf, as browsers show it (hex, colon-separated): how an operator tells certificates apart. */
    public String fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(chain.getFirst().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String subject() {
        return chain.getFirst().getSubjectX500Principal().getName();
    }
}
