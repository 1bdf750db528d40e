package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test CA and certificates it signs for {@code localhost} and {@code 127.0.0.1}, made with the
 * {@code openssl} command line as an operator would, written as PEM files the way certbot writes them
 * ({@code fullchain.pem}: leaf then CA; {@code privkey.pem}: PKCS#8).
 */
public final class TestCertificates {

    private final Path dir;
    private final Path caCert;
    private final Path caKey;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("test-ca.pem");
        this.caKey = dir.resolve("test-ca.key");
    }

    /** A new CA in {@code dir}. */
    public static TestCertificates authority(Path dir) throws IOException, InterruptedException {
        ExternalProcess.requireTool("openssl");
        Files.createDirectories(dir);
        TestCertificates ca = new TestCertificates(dir);
        ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", ca.caKey.toString(), "-out", ca.caCert.toString(), "-days", "3",
                "-subj", "/CN=TinyIce Test CA");
        return ca;
    }

    /** The {@code tls} entry of a configuration serving the pair {@link #forServerIn} writes, on any free port. */
    public static final String TLS_ON_ANY_PORT =
            "\"tls\": {\"port\": 0, \"cert\": \"fullchain.pem\", \"key\": \"privkey.pem\"}";

    /**
     * A new CA in {@code dir/ca}, and a localhost certificate it signed ({@code keyType} "rsa" or "ec")
     * written to {@code dir} as {@code fullchain.pem} and {@code privkey.pem}: what {@link #TLS_ON_ANY_PORT} names.
     */
    public static TestCertificates forServerIn(Path dir, String keyType) throws IOException, InterruptedException {
        TestCertificates ca = authority(dir.resolve("ca"));
        ca.issue(keyType, dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"));
        return ca;
    }

    public Path caFile() {
        return caCert;
    }

    /**
     * Writes a certificate for localhost (signed by this CA, {@code keyType} "rsa" or "ec") and its key
     * to {@code certFile} (the chain: leaf then CA) and {@code keyFile}.
     */
    public void issue(String keyType, Path certFile, Path keyFile) throws IOException, InterruptedException {
        String stem = "leaf-" + System.nanoTime();
        Path key = dir.resolve(stem + ".key");
        Path csr = dir.resolve(stem + ".csr");
        Path leaf = dir.resolve(stem + ".pem");
        Path extensions = dir.resolve(stem + ".ext");
        Files.writeString(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        if (keyType.equals("rsa")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                    "-subj", "/CN=localhost");
        } else {
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    key.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
        }
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", leaf.toString(), "-days", "2", "-extfile", extensions.toString());
        Files.writeString(certFile, Files.readString(leaf) + Files.readString(caCert));
        Files.copy(key, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A self-signed localhost certificate that expired yesterday, and its PKCS#8 key. */
    public void issueExpired(Path certFile, Path keyFile) throws IOException, InterruptedException {
        ExternalProcess.requireTool("keytool");
        Path store = dir.resolve("expired-" + System.nanoTime() + ".p12");
        run(List.of("keytool", "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "old", "-keyalg", "EC", "-dname", "CN=localhost",
                "-startdate", "-3d", "-validity", "1"));
        openssl("pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nokeys", "-out", certFile.toString());
        openssl("pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nocerts", "-nodes",
                "-out", keyFile.toString());
    }

    /** SHA-256 of the leaf certificate the server at {@code port} presents, as {@code PemCertificate} prints it. */
    public String presentedFingerprint(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            byte[] der = socket.getSession().getPeerCertificates()[0].getEncoded();
            return java.util.HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
        }
    }

    /** SHA-256 of the first certificate in a PEM file. */
    public static String fingerprintOf(Path certFile) throws Exception {
        try (InputStream in = Files.newInputStream(certFile)) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            return java.util.HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
        }
    }

    /** A client TLS context that trusts this CA only. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry("test-ca",
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(command);
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        ExternalProcess.Result result = ExternalProcess.run(dir, 60, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + result.output());
        }
    }
}
