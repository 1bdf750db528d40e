package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "https_redirect": true}, request by request: browsers' page requests on plain HTTP go to HTTPS;
 * encoders, streams, Icecast's admin API, scripts and ACME challenges stay; HTTPS answers carry HSTS,
 * a Secure session cookie and HTTPS listen URLs.
 */
class HttpsRedirectTest {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @TempDir
    static Path dir;
    static TestServer server;
    static TestCertificates ca;
    static HttpClient plain;
    static HttpClient https;
    static ExternalProcess source;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.forServerIn(dir, "ec");
        server = TestServer.start(dir, "{" + TestCertificates.TLS_ON_ANY_PORT + ", \"https_redirect\": true}");
        plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ca.clientContext()).build();
        // the encoder on plain HTTP with the redirect on: SOURCE/PUT is never redirected
        source = Encoders.ffmpegMp3(dir, server, "/live");
        Sources.awaitMount(server, "/live", source);
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> plainGet(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return plain.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String redirectTarget(String path) {
        return "https://127.0.0.1:" + server.httpsPort() + path;
    }

    @Test
    void browsersAskingForPagesOnPlainHttpAreSentToHttps() throws Exception {
        for (String path : new String[] {"/", "/admin", "/admin/login", "/admin/login?next=%2Fadmin%2Fusers",
                "/player/live", "/live.m3u", "/live.pls"}) {
            HttpResponse<String> answer = plainGet(path, BROWSER_ACCEPT);
            assertEquals(301, answer.statusCode(), path);
            assertEquals(redirectTarget(path), answer.headers().firstValue("Location").orElse(""), path);
        }
    }

    @Test
    void encodersPlayersScriptsAndAcmeStayOnPlainHttp() throws Exception {
        // a browser's Accept, and still not redirected: streams, Icecast's admin API, status, API, health
        for (String path : new String[] {"/live", "/admin/stats", "/admin/metadata?mode=updinfo&mount=/live&song=x",
                "/admin/listclients?mount=/live", "/status-json.xsl", "/api/status", "/healthz", "/metrics",
                "/.well-known/acme-challenge/token123"}) {
            if (path.equals("/live")) {
                try (RawClient listener = new RawClient(server.port())) {
                    String head = listener.send("GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BROWSER_ACCEPT
                            + "\r\nConnection: close\r\n\r\n").readHead();
                    assertTrue(head.startsWith("HTTP/1.0 200 OK"), "a stream is served on plain HTTP: " + head);
                }
                continue;
            }
            HttpResponse<String> answer = plainGet(path, BROWSER_ACCEPT);
            assertNotEquals(301, answer.statusCode(), path + " must not be redirected");
            assertTrue(answer.headers().firstValue("Location").isEmpty(), path);
        }
        // players and radios ask for playlists without text/html, and get them here
        HttpResponse<String> playlist = plainGet("/live.m3u", "*/*");
        assertEquals(200, playlist.statusCode());
        assertTrue(playlist.body().contains("http://127.0.0.1:" + server.port() + "/live"), playlist.body());
        assertEquals(200, plainGet("/", null).statusCode(), "a script without text/html gets the page here");
        assertFalse(plainGet("/", null).headers().firstValue("Strict-Transport-Security").isPresent(),
                "HSTS only over HTTPS");
    }

    @Test
    void httpsAnswersCarryHstsASecureSessionCookieAndHttpsUrls() throws Exception {
        HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create(server.httpsUrl("/")))
                .header("Accept", BROWSER_ACCEPT).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), "no redirect loop on the HTTPS port");
        assertEquals("max-age=31536000", page.headers().firstValue("Strict-Transport-Security").orElse(""));

        String form = "user=" + TestServer.ADMIN_USER + "&password="
                + URLEncoder.encode(TestServer.ADMIN_PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> secureLogin = https.send(HttpRequest.newBuilder(URI.create(server.httpsUrl("/admin/login")))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, secureLogin.statusCode(), secureLogin.body());
        assertTrue(secureLogin.headers().firstValue("Set-Cookie").orElse("").contains("; Secure"),
                secureLogin.headers().toString());
        HttpResponse<String> plainLogin = plain.send(HttpRequest.newBuilder(URI.create(server.url("/admin/login")))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, plainLogin.statusCode(), "a form post is not redirected (its body would be lost)");
        assertFalse(plainLogin.headers().firstValue("Set-Cookie").orElse("").contains("Secure"));

        HttpResponse<String> status = https.send(HttpRequest.newBuilder(URI.create(server.httpsUrl("/status-json.xsl")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(status.body().contains("\"listenurl\":\"https://localhost:" + server.httpsPort() + "/live\""),
                status.body());
        assertTrue(server.statusJson().contains("\"listenurl\":\"http://localhost:" + server.port() + "/live\""));
        HttpResponse<String> playlist = https.send(HttpRequest.newBuilder(URI.create(server.httpsUrl("/live.m3u")))
                .header("Accept", BROWSER_ACCEPT).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, playlist.statusCode());
        assertTrue(playlist.body().contains("https://localhost:" + server.httpsPort() + "/live"), playlist.body());
    }
}
