package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACME against Debian's pebble (a real RFC 8555 server with its own throw-away CA), started here on
 * loopback with its validation pointed at TinyIce's plain port: the HTTP-01 challenge is really
 * fetched from TinyIce. A first certificate is issued and served; a forced renewal replaces it while
 * a listener keeps playing over TLS on the same connection.
 */
class AcmeTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static ExternalProcess pebble;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir.resolve("ca"));
        ca.issue("ec", dir.resolve("pebble-cert.pem"), dir.resolve("pebble-key.pem"));
        int plainPort = freePort();
        int acmePort = freePort();
        int managementPort = freePort();
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(acmePort, managementPort, dir.resolve("pebble-cert.pem"), dir.resolve("pebble-key.pem"),
                plainPort, freePort()));
        // no sleeps before validation, no deliberately rejected nonces: the test is about TinyIce, not retries
        pebble = ExternalProcess.start(dir, List.of("env", "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0",
                "pebble", "-config", dir.resolve("pebble.json").toString()));
        Eventually.await(Duration.ofSeconds(20), "pebble listens", () -> {
            if (!pebble.isAlive()) {
                throw new Eventually.GiveUp("pebble exited: " + pebble.output());
            }
            try (var socket = new java.net.Socket("127.0.0.1", acmePort)) {
                return true;
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
        server = TestServer.start(dir, """
                {"tls": {"port": 0},
                 "acme": {"domains": ["localhost"], "email": "ops@example.org",
                          "directory": "https://localhost:%d/dir", "directory_ca": "ca/test-ca.pem"}}
                """.formatted(acmePort), plainPort);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void aCertificateIsIssuedServedAndRenewedWhileATlsListenerKeepsPlaying() throws Exception {
        Path certFile = dir.resolve("acme-fullchain.pem");
        Eventually.await(Duration.ofSeconds(60), "the first certificate is issued (" + pebble + ")",
                () -> server.acme().state().issued() >= 1);
        String first = presentedFingerprint();
        assertEquals(TestCertificates.fingerprintOf(certFile), first, "the issued certificate is the one served");
        assertTrue(Files.readString(certFile).indexOf("BEGIN CERTIFICATE") != Files.readString(certFile)
                .lastIndexOf("BEGIN CERTIFICATE"), "the chain, not only the leaf");
        for (String secret : List.of("acme-fullchain.pem", "acme-privkey.pem", "acme-account.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))),
                    secret);
        }
        assertTrue(server.acme().state().nextRenewal().isAfter(java.time.Instant.now()), "renewal is scheduled");

        String api = adminGet("/api/tls");
        assertTrue(api.contains("\"sha256\":\"" + first + "\""), api);
        assertTrue(api.contains("\"next_renewal\""), api);
        assertTrue(api.contains("\"last_error\":\"\""), api);
        String metrics = server.get("/metrics").body();
        assertTrue(metrics.contains("tinyice_acme_next_renewal_seconds"), metrics);
        assertTrue(metrics.contains("tinyice_tls_certificate_valid_until_seconds"), metrics);

        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/acme");
             SSLSocket listener = (SSLSocket) trustAll().getSocketFactory()
                     .createSocket("localhost", server.httpsPort())) {
            Sources.awaitMount(server, "/acme", source);
            listener.setSoTimeout(20_000);
            listener.getOutputStream().write("GET /acme HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(TlsTest.readHead(listener).startsWith("HTTP/1.0 200 OK"));
            InputStream audio = listener.getInputStream();
            assertEquals(16_000, audio.readNBytes(16_000).length);

            long issued = server.acme().state().issued();
            server.acme().renewNow();
            Eventually.await(Duration.ofSeconds(60), "the forced renewal is issued",
                    () -> server.acme().state().issued() > issued);
            String renewed = presentedFingerprint();
            assertNotEquals(first, renewed, "new handshakes get the renewed certificate");
            assertEquals(TestCertificates.fingerprintOf(certFile), renewed);
            assertEquals(32_000, audio.readNBytes(32_000).length,
                    "the listener connected before the renewal keeps receiving on its connection");
        }
    }

    private static String adminGet(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Authorization", "Basic " + TlsTest.basic(TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The certificate comes from pebble's own CA, made afresh at each start: compared by fingerprint. */
    private static String presentedFingerprint() throws Exception {
        try (SSLSocket socket = (SSLSocket) trustAll().getSocketFactory().createSocket("localhost",
                server.httpsPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            byte[] der = socket.getSession().getPeerCertificates()[0].getEncoded();
            return java.util.HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
