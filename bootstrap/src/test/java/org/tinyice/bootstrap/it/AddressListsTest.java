package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banned_ips}, {@code allowed_ips} (server-wide and per mount) and {@code trusted_proxies} on real
 * sockets. The clients bind other loopback addresses ({@code 127.0.0.2}, ...) to be other hosts; the
 * test's own requests (status, the API) come from {@code 127.0.0.1}, which every list here lets in.
 */
class AddressListsTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"client_addresses": "full",
                 "trusted_proxies": ["127.0.0.5"],
                 "mounts": {"/studio": {"allowed_ips": ["127.0.0.3"]}}}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sets the top-level lists by editing the file and reloading it, as an operator's SIGHUP does. */
    private static void reloadWith(String banned, String allowed) throws IOException {
        Path file = dir.resolve("tinyice.json");
        String text = Files.readString(file).replaceAll("(?m)^  \"(banned_ips|allowed_ips)\": \\[.*\\],?\\n", "");
        text = text.replaceFirst("\\{",
                "{\n  \"banned_ips\": [" + banned + "],\n  \"allowed_ips\": [" + allowed + "],");
        Files.writeString(file, text);
        assertTrue(server.reload(), "the edited file reloads");
    }

    /** What the server sends a client from {@code from} for {@code request}, until it closes. */
    private static byte[] answerTo(String from, String request) throws IOException {
        try (RawClient client = RawClient.from(from, server.port())) {
            client.timeout(5000);
            client.send(request);
            return client.readToEnd();
        } catch (java.net.SocketException reset) {
            return new byte[0]; // reset: no answer either
        }
    }

    private static String listen(String from, String mount, String extraHeaders) {
        return "GET " + mount + " HTTP/1.0\r\nUser-Agent: address-lists-test\r\n" + extraHeaders + "\r\n";
    }

    private static double banned() throws Exception {
        return ObservabilityTest.metric(server.get("/metrics").body(), "tinyice_connections_banned_total", "");
    }

    private static HttpResponse<String> api(String method, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/api" + pathAndQuery)))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String listClients(String mount) throws IOException {
        return new TestServer.Remote(server.port()).adminGet("/admin/listclients?mount=" + mount);
    }

    @Test
    void aBannedAddressIsClosedWithoutAnAnswerWhileOthersStreamOn() throws Exception {
        reloadWith("\"127.0.0.2\", \"10.0.0.0/8\"", "");
        try (RawSource source = new RawSource(server, "/live", (byte) 7)) {
            Eventually.await(Duration.ofSeconds(5), "/live is on", () -> server.statusJson().contains("/live\""));
            try (RawClient other = RawClient.from("127.0.0.3", server.port())) {
                other.send(listen("127.0.0.3", "/live", ""));
                assertTrue(other.readHead().startsWith("HTTP/1.0 200 OK"), "an address not banned listens");
                double before = banned();

                assertEquals(0, answerTo("127.0.0.2", listen("127.0.0.2", "/live", "")).length,
                        "a banned listener gets no byte");
                assertEquals(0, answerTo("127.0.0.2", "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n").length,
                        "nor a page or the API");
                assertEquals(0, answerTo("127.0.0.2", "SOURCE /other HTTP/1.0\r\nContent-Type: audio/mpeg\r\n\r\n")
                        .length, "nor a source");

                other.awaitRun((byte) 7, 2000);
                assertTrue(banned() >= before + 3, "counted in /metrics");
            }
        }
    }

    @Test
    void anAllowListLetsOnlyItsAddressesConnectAndALiftedListLetsEveryoneBack() throws Exception {
        reloadWith("", "\"127.0.0.1\", \"127.0.0.3\"");
        try {
            assertEquals(0, answerTo("127.0.0.4", "GET /status-json.xsl HTTP/1.0\r\n\r\n").length,
                    "an address off the list is closed unanswered");
            assertTrue(new String(answerTo("127.0.0.3", "GET /status-json.xsl HTTP/1.0\r\n\r\n"),
                    StandardCharsets.ISO_8859_1).startsWith("HTTP/1.0 200"), "one on it is served");
        } finally {
            reloadWith("", "");
        }
        assertTrue(new String(answerTo("127.0.0.4", "GET /status-json.xsl HTTP/1.0\r\n\r\n"),
                StandardCharsets.ISO_8859_1).startsWith("HTTP/1.0 200"), "in force at once after the reload");
    }

    @Test
    void aMountsAllowListRefusesOtherListenersAndSourcesOfThatMountWith403() throws Exception {
        reloadWith("", "");
        String source = new String(answerTo("127.0.0.1", "SOURCE /studio HTTP/1.0\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString(("source:" + TestServer.SOURCE_PASSWORD)
                .getBytes(StandardCharsets.UTF_8)) + "\r\nContent-Type: audio/mpeg\r\n\r\n"), StandardCharsets.UTF_8);
        assertTrue(source.startsWith("HTTP/1.0 403"), source);
        assertTrue(source.contains("Address not allowed on this mount"), source);

        try (RawSource studio = RawSource.from("127.0.0.3", server, "/studio", (byte) 3)) {
            Eventually.await(Duration.ofSeconds(5), "/studio is on", () -> server.statusJson().contains("/studio\""));
            String refused = new String(answerTo("127.0.0.4", listen("127.0.0.4", "/studio", "")),
                    StandardCharsets.UTF_8);
            assertTrue(refused.startsWith("HTTP/1.0 403"), refused);
            assertTrue(refused.contains("Address not allowed on this mount"), refused);
            try (RawClient allowed = RawClient.from("127.0.0.3", server.port())) {
                allowed.send(listen("127.0.0.3", "/studio", ""));
                assertTrue(allowed.readHead().startsWith("HTTP/1.0 200 OK"));
                allowed.awaitRun((byte) 3, 2000);
            }
        }
    }

    @Test
    void xForwardedForIsBelievedFromATrustedProxyOnly() throws Exception {
        reloadWith("\"203.0.113.7\"", "");
        try (RawSource source = new RawSource(server, "/proxied", (byte) 5)) {
            Eventually.await(Duration.ofSeconds(5), "/proxied is on",
                    () -> server.statusJson().contains("/proxied\""));
            assertEquals(0, answerTo("127.0.0.5", listen("127.0.0.5", "/proxied",
                    "X-Forwarded-For: 203.0.113.7\r\n")).length, "the proxy's banned client is closed unanswered");
            assertEquals(0, answerTo("127.0.0.5", "GET /api/status HTTP/1.1\r\nHost: x\r\n"
                    + "Forwarded: for=203.0.113.7;proto=http\r\n\r\n").length, "on every path");

            try (RawClient viaProxy = RawClient.from("127.0.0.5", server.port());
                 RawClient spoofer = RawClient.from("127.0.0.6", server.port())) {
                // the client's own first entry is left of what the proxy appended, so it changes nothing
                viaProxy.send(listen("127.0.0.5", "/proxied", "X-Forwarded-For: 203.0.113.7, 198.51.100.20\r\n"));
                assertTrue(viaProxy.readHead().startsWith("HTTP/1.0 200 OK"));
                // not a proxy: its header is ignored, so it is neither banned nor listed as someone else
                spoofer.send(listen("127.0.0.6", "/proxied", "X-Forwarded-For: 203.0.113.7\r\n"));
                assertTrue(spoofer.readHead().startsWith("HTTP/1.0 200 OK"));

                String clients = listClients("/proxied");
                assertTrue(clients.contains("<IP>198.51.100.20</IP>"), clients);
                assertTrue(clients.contains("<IP>127.0.0.6</IP>"), clients);
                assertFalse(clients.contains("127.0.0.5"), clients);
                assertFalse(clients.contains("203.0.113.7"), clients);
                viaProxy.awaitRun((byte) 5, 2000);
                spoofer.awaitRun((byte) 5, 2000);
            }
            Path log = dir.resolve("access.log");
            Eventually.await(Duration.ofSeconds(10), "the access log has the forwarded client's visit",
                    () -> Files.exists(log) && Files.readString(log).contains("198.51.100.20 - - ["));
            assertFalse(Files.readString(log).contains("203.0.113.7"), Files.readString(log));
        }
    }

    @Test
    void behindATrustedProxyTheConnectionLimitCountsEachForwardedClient(@TempDir Path own) throws Exception {
        try (TestServer limited = TestServer.start(own, """
                {"trusted_proxies": ["127.0.0.5"],
                 "limits": {"max_connections_per_address": 2, "per_address_includes_loopback": true}}
                """);
             RawSource source = new RawSource(limited, "/limited", (byte) 6)) {
            Eventually.await(Duration.ofSeconds(5), "/limited is on",
                    () -> limited.statusJson().contains("/limited\""));
            RawClient[] held = new RawClient[3];
            try {
                for (int i = 0; i < 2; i++) {
                    held[i] = RawClient.from("127.0.0.5", limited.port());
                    held[i].send(listen("127.0.0.5", "/limited", "X-Forwarded-For: 198.51.100.40\r\n"));
                    assertTrue(held[i].readHead().startsWith("HTTP/1.0 200 OK"));
                }
                try (RawClient third = RawClient.from("127.0.0.5", limited.port())) {
                    third.timeout(5000);
                    third.send(listen("127.0.0.5", "/limited", "X-Forwarded-For: 198.51.100.40\r\n"));
                    assertEquals(0, third.readToEnd().length, "the forwarded client holds its two already");
                } catch (java.net.SocketException reset) {
                    // refused with a reset: no answer either
                }
                held[2] = RawClient.from("127.0.0.5", limited.port());
                held[2].send(listen("127.0.0.5", "/limited", "X-Forwarded-For: 198.51.100.41\r\n"));
                assertTrue(held[2].readHead().startsWith("HTTP/1.0 200 OK"),
                        "another client of the same proxy has places of its own");
                held[0].awaitRun((byte) 6, 2000);
            } finally {
                for (RawClient client : held) {
                    if (client != null) {
                        client.close();
                    }
                }
            }
        }
    }

    /** The status line of an API request from {@code from} with Basic {@code password} and a forwarded header. */
    private static String apiStatusVia(String from, String forwardedFor, String password) throws IOException {
        String answer = new String(answerTo(from, "GET /api/status HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString((TestServer.ADMIN_USER + ":" + password)
                .getBytes(StandardCharsets.UTF_8)) + "\r\nX-Forwarded-For: " + forwardedFor + "\r\n\r\n"),
                StandardCharsets.ISO_8859_1);
        return answer.lines().findFirst().orElse("");
    }

    @Test
    void behindATrustedProxyFailedLoginsLockOutTheForwardedClientNotTheProxy() throws Exception {
        reloadWith("", "");
        for (int i = 0; i < 5; i++) {
            // each a different password: the same wrong one again is remembered, not counted again
            String wrong = apiStatusVia("127.0.0.5", "198.51.100.30", "wrong-" + i);
            assertTrue(wrong.startsWith(i < 4 ? "HTTP/1.1 401" : "HTTP/1.1 429"), wrong);
        }
        String locked = apiStatusVia("127.0.0.5", "198.51.100.30", TestServer.ADMIN_PASSWORD);
        assertTrue(locked.startsWith("HTTP/1.1 429"), locked + ": " +
                "the forwarded client is locked out, even with the right password");
        assertTrue(apiStatusVia("127.0.0.5", "198.51.100.31", TestServer.ADMIN_PASSWORD).startsWith("HTTP/1.1 200"),
                "another client of the same proxy is not");
        // an untrusted client's header names nobody: its failures are its own address's
        assertTrue(apiStatusVia("127.0.0.6", "198.51.100.31", TestServer.ADMIN_PASSWORD).startsWith("HTTP/1.1 200"));
    }

    @Test
    void theApiRefusesAListenerIdThatIsNotANumber() throws Exception {
        for (String path : List.of("/listeners/kick?mount=/live&id=abc", "/listeners/ban?mount=/live&id=12x")) {
            HttpResponse<String> refused = api("POST", path);
            assertEquals(400, refused.statusCode(), path);
            assertTrue(refused.body().contains("id must be a listener id"), path + ": " + refused.body());
        }
    }

    @Test
    void aBanMadeThroughTheApiHoldsAtOnceIsSavedAndCanBeLifted() throws Exception {
        reloadWith("", "");
        try (RawSource source = new RawSource(server, "/api-ban", (byte) 4);
             RawClient victim = RawClient.from("127.0.0.8", server.port())) {
            Eventually.await(Duration.ofSeconds(5), "/api-ban is on", () -> server.statusJson().contains("/api-ban\""));
            victim.send(listen("127.0.0.8", "/api-ban", ""));
            assertTrue(victim.readHead().startsWith("HTTP/1.0 200 OK"));
            String clients = listClients("/api-ban");
            String id = clients.replaceAll("(?s).*<ID>(\\d+)</ID>.*", "$1");

            HttpResponse<String> ban = api("POST", "/listeners/ban?mount=/api-ban&id=" + id);
            assertEquals(200, ban.statusCode(), ban.body());
            assertTrue(ban.body().contains("\"address\":\"127.0.0.8\""), ban.body());
            victim.timeout(5000);
            assertTrue(victim.closedByServer(), "the banned listener is disconnected");
            assertEquals(0, answerTo("127.0.0.8", listen("127.0.0.8", "/api-ban", "")).length, "and refused after");

            HttpResponse<String> range = api("POST", "/bans?address=2001%3Adb8%3A%3A%2F32");
            assertEquals(200, range.statusCode(), range.body());
            assertEquals(400, api("POST", "/bans?address=example.com").statusCode());
            String list = api("GET", "/bans").body();
            assertTrue(list.contains("\"127.0.0.8\"") && list.contains("\"2001:db8::/32\""), list);
            assertTrue(Files.readString(dir.resolve("tinyice.json")).contains("\"127.0.0.8\""), "saved to the file");

            assertEquals(200, api("POST", "/bans/remove?address=127.0.0.8").statusCode());
            assertEquals(404, api("POST", "/bans/remove?address=127.0.0.8").statusCode());
            try (RawClient back = RawClient.from("127.0.0.8", server.port())) {
                back.send(listen("127.0.0.8", "/api-ban", ""));
                assertTrue(back.readHead().startsWith("HTTP/1.0 200 OK"), "the lifted ban is in force at once");
            }
        }
    }
}
