package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates renewed while running: a new pair in the files is taken (watched, and on SIGHUP) without
 * dropping a connected TLS listener; a broken pair is refused and the running certificate stays.
 */
class TlsRenewalTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static TestCertificates ca;
    static Path cert;
    static Path key;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.forServerIn(dir, "ec");
        cert = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        server = TestServer.start(dir, "{" + TestCertificates.TLS_ON_ANY_PORT + "}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void renewedFilesAreServedToNewHandshakesWhileAConnectedTlsListenerKeepsPlaying() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/renew");
             SSLSocket listener = (SSLSocket) ca.clientContext().getSocketFactory()
                     .createSocket("localhost", server.httpsPort())) {
            Sources.awaitMount(server, "/renew", source);
            String before = ca.presentedFingerprint(server.httpsPort());
            assertEquals(TestCertificates.fingerprintOf(cert), before);
            listener.setSoTimeout(20_000);
            listener.getOutputStream().write("GET /renew HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = TlsTest.readHead(listener);
            assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
            InputStream audio = listener.getInputStream();
            assertEquals(16_000, audio.readNBytes(16_000).length);

            // a renewal as certbot does it: new files in place (here written beside, then moved over)
            Path newCert = dir.resolve("new-fullchain.pem");
            Path newKey = dir.resolve("new-privkey.pem");
            ca.issue("rsa", newCert, newKey);
            String renewed = TestCertificates.fingerprintOf(newCert);
            Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Eventually.await(Duration.ofSeconds(15), "the renewed certificate is presented",
                    () -> ca.presentedFingerprint(server.httpsPort()).equals(renewed));

            String again = server.reloadCertificates();
            assertTrue(again.startsWith("TLS certificate unchanged"), "the renewal was taken whole: " + again);

            assertEquals(32_000, audio.readNBytes(32_000).length,
                    "the listener connected before the renewal keeps receiving on its connection");
            assertTrue(server.statusJson().contains("\"listeners\":1"), server.statusJson());
        }
    }

    @Test
    void brokenPairsAreRefusedWithTheReasonAndTheRunningCertificateStays() throws Exception {
        String running = ca.presentedFingerprint(server.httpsPort());
        String goodCert = Files.readString(cert);
        String goodKey = Files.readString(key);
        try {
            Files.writeString(cert, "this is not a certificate\n");
            String garbage = server.reloadCertificates();
            assertTrue(garbage.contains("not reloaded, the running one stays")
                    && garbage.contains("fullchain.pem"), garbage);
            assertEquals(running, ca.presentedFingerprint(server.httpsPort()));

            Path otherCert = dir.resolve("other.pem");
            Path otherKey = dir.resolve("other.key");
            ca.issue("ec", otherCert, otherKey);
            Files.writeString(cert, goodCert);
            Files.copy(otherKey, key, StandardCopyOption.REPLACE_EXISTING);
            String mismatch = server.reloadCertificates();
            assertTrue(mismatch.contains("is not the key of the certificate"), mismatch);
            assertEquals(running, ca.presentedFingerprint(server.httpsPort()));

            ca.issueExpired(cert, key);
            String expired = server.reloadCertificates();
            assertTrue(expired.contains("expired on"), expired);
            assertEquals(running, ca.presentedFingerprint(server.httpsPort()));

            Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
            Files.writeString(cert, goodCert);
            String pkcs1 = server.reloadCertificates();
            assertTrue(pkcs1.contains("convert it to PKCS#8"), pkcs1);
        } finally {
            Files.writeString(key, goodKey);
            Files.writeString(cert, goodCert);
        }
        assertTrue(server.reload(), "SIGHUP's reload reads the (restored) files as well");
        assertEquals(running, ca.presentedFingerprint(server.httpsPort()));
        assertEquals(200, server.get("/healthz").statusCode(), "the server kept serving throughout");
    }
}
