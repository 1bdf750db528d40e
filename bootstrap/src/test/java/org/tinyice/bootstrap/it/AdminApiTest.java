package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;

/** Icecast's /admin commands against the real server, and fallback mounts with listeners that stay connected. */
class AdminApiTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"mounts": {
                  "/main": {"fallback": "/backup", "fallback_override": true},
                  "/backup": {"fallback": "/last"},
                  "/limited": {"max_listeners": 5}
                }}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String admin(String path) throws IOException {
        return FfmpegSourceTest.adminGetOn(server, path, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
    }

    static RawClient listen(String mount, String userAgent) throws IOException {
        return RawClient.listen(server, mount, userAgent);
    }

    static void awaitBytes(RawClient client, byte value, int n) throws IOException {
        client.awaitRun(value, n);
    }

    @Test
    void withoutAdminCredentialsEveryCommandIs401() throws Exception {
        for (String command : new String[] {"stats", "listmounts", "listclients?mount=/x", "killsource?mount=/x"}) {
            try (RawClient client = new RawClient(server.port())) {
                String answer = new String(client.send("GET /admin/" + command + " HTTP/1.0\r\n\r\n").readToEnd(),
                        StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.0 401 "), command + ": " + answer);
            }
            String wrong = FfmpegSourceTest.adminGetOn(server, "/admin/" + command, "admin", "wrong");
            assertTrue(wrong.startsWith("HTTP/1.0 401 "), wrong);
            String sourceCredentials = FfmpegSourceTest.adminGetOn(server, "/admin/" + command, "source",
                    TestServer.SOURCE_PASSWORD);
            assertTrue(sourceCredentials.startsWith("HTTP/1.0 401 "), "source credentials are not admin: " + command);
        }
        assertTrue(admin("/admin/bogus").contains("<b>400 - Unrecognised command</b>"));
    }

    @Test
    void aCommandFromAnotherSitesPageIsRefusedEvenWithTheAdminsCredentials() throws Exception {
        try (RawSource source = new RawSource(server, "/cross-site", (byte) 5)) {
            String auth = "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                    (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            String host = "Host: 127.0.0.1:" + server.port();
            for (String marker : new String[] {"Origin: https://evil.example", "Sec-Fetch-Site: cross-site",
                    "Origin: null", "Sec-Fetch-Site: same-site"}) {
                try (RawClient client = new RawClient(server.port())) {
                    String answer = new String(client.send("GET /admin/killsource?mount=/cross-site HTTP/1.1\r\n"
                            + host + "\r\n" + auth + "\r\n" + marker + "\r\nConnection: close\r\n\r\n")
                            .readToEnd(), StandardCharsets.UTF_8);
                    assertTrue(answer.startsWith("HTTP/1.0 403 "), marker + ": " + answer);
                    assertTrue(answer.contains("cross-site request refused"), answer);
                }
            }
            assertTrue(source.isStreaming(), "the source is still on the air");
            for (String sameSite : new String[] {"Origin: http://127.0.0.1:" + server.port(),
                    "Sec-Fetch-Site: same-origin"}) {
                try (RawClient client = new RawClient(server.port())) {
                    String answer = new String(client.send("GET /admin/stats HTTP/1.1\r\n" + host + "\r\n" + auth
                            + "\r\n" + sameSite + "\r\nConnection: close\r\n\r\n").readToEnd(),
                            StandardCharsets.UTF_8);
                    assertTrue(answer.startsWith("HTTP/1.0 200 "), sameSite + ": " + answer);
                }
            }
            assertTrue(admin("/admin/killsource?mount=/cross-site").contains("Source Removed"),
                    "without Origin or Sec-Fetch-Site (curl, stats tools) the command works");
        }
    }

    @Test
    void statsListmountsAndListclientsUseIcecastsXml() throws Exception {
        try (RawSource source = new RawSource(server, "/limited", (byte) 1);
             RawClient a = listen("/limited", "SampleAgent/1.0");
             RawClient b = listen("/limited", "SampleAgent/2.0")) {
            String mounts = admin("/admin/listmounts");
            assertTrue(mounts.contains("Content-Type: text/xml; charset=utf-8"), mounts);
            assertTrue(mounts.contains("<source mount=\"/limited\"><fallback></fallback><listeners>2</listeners>"
                    + "<Connected>"), mounts);
            assertTrue(mounts.contains("<content-type>audio/mpeg</content-type></source>"), mounts);

            String clients = admin("/admin/listclients?mount=/limited");
            assertTrue(clients.contains("<icestats><source mount=\"/limited\"><Listeners>2</Listeners><listener>"
                    + "<IP>127.0.0.1</IP><UserAgent>SampleAgent/1.0</UserAgent><Connected>"), clients);
            assertTrue(clients.contains("<UserAgent>SampleAgent/2.0</UserAgent>"), clients);
            assertEquals(2, count(clients, "<ID>"));

            String stats = admin("/admin/stats");
            assertTrue(stats.contains("<icestats><admin>admin@localhost</admin>"), stats);
            assertTrue(stats.contains("<listeners>2</listeners>"), stats);
            assertTrue(stats.contains("<source mount=\"/limited\">"), stats);
            assertTrue(stats.contains("<max_listeners>5</max_listeners>"), stats);
            assertTrue(stats.contains("<server_name>Raw /limited</server_name>"), stats);
            assertTrue(stats.contains("<user_agent>RawSource/1.0</user_agent>"), stats);
            assertTrue(stats.contains("<source_ip>127.0.0.1</source_ip>"), stats);
            assertEquals(admin("/admin/stats").replaceAll("Date: .*\r\n", "").length(),
                    admin("/admin/stats.xml").replaceAll("Date: .*\r\n", "").length(), "stats.xml is stats");

            assertTrue(admin("/admin/listclients?mount=/nope").contains("<b>400 - Source does not exist</b>"));
        }
    }

    @Test
    void killclientClosesThatListenerOnly() throws Exception {
        try (RawSource source = new RawSource(server, "/kick", (byte) 2);
             RawClient victim = listen("/kick", "Victim/1.0");
             RawClient bystander = listen("/kick", "Bystander/1.0")) {
            String clients = admin("/admin/listclients?mount=/kick");
            Matcher m = Pattern.compile("<UserAgent>Victim/1.0</UserAgent><Connected>\\d+</Connected><ID>(\\d+)</ID>")
                    .matcher(clients);
            assertTrue(m.find(), clients);
            String id = m.group(1);
            String answer = admin("/admin/killclient?mount=/kick&id=" + id);
            assertTrue(answer.contains("<iceresponse><message>Client " + id + " removed</message><return>1</return>"),
                    answer);
            assertTrue(victim.closedByServer(), "the kicked listener's connection is closed at once");
            awaitBytes(bystander, (byte) 2, 3000);
            String unknown = admin("/admin/killclient?mount=/kick&id=999999999");
            assertTrue(unknown.startsWith("HTTP/1.0 200 OK"), "Icecast answers an unknown id with 200: " + unknown);
            assertTrue(unknown.contains("<message>Client 999999999 not found</message><return>0</return>"), unknown);
        }
    }

    @Test
    void moveclientsKeepsTheConnectionAndSwitchesTheStream() throws Exception {
        try (RawSource a = new RawSource(server, "/from", (byte) 0x0A);
             RawSource b = new RawSource(server, "/to", (byte) 0x0B);
             RawClient listener = listen("/from", "Mover/1.0")) {
            awaitBytes(listener, (byte) 0x0A, 3000);
            String answer = admin("/admin/moveclients?mount=/from&destination=/to");
            assertTrue(answer.contains("<message>Clients moved from /from to /to</message><return>1</return>"), answer);
            awaitBytes(listener, (byte) 0x0B, 3000);
            Eventually.await(Duration.ofSeconds(2), "counted on /to",
                    () -> admin("/admin/listmounts").contains("<source mount=\"/to\"><fallback></fallback>"
                            + "<listeners>1</listeners>"));
            assertTrue(admin("/admin/moveclients?mount=/to&destination=/nope").contains("400 - No such destination"));
        }
    }

    @Test
    void killsourceEndsTheMount() throws Exception {
        try (RawSource source = new RawSource(server, "/doomed", (byte) 3);
             RawClient listener = listen("/doomed", "Doomed/1.0")) {
            String answer = admin("/admin/killsource?mount=/doomed");
            assertTrue(answer.contains("<message>Source Removed</message><return>1</return>"), answer);
            assertTrue(listener.closedByServer(), "its listeners are closed");
            Eventually.await(Duration.ofSeconds(2), "mount gone", () -> server.get("/doomed").statusCode() == 404);
            Eventually.await(Duration.ofSeconds(2), "source socket closed", () -> !source.isStreaming());
        }
        assertTrue(admin("/admin/killsource?mount=/doomed").contains("400 - Source does not exist"));
    }

    @Test
    void fallbackTakesListenersAndOverrideBringsThemBack() throws Exception {
        try (RawSource backup = new RawSource(server, "/backup", (byte) 0x0B)) {
            RawSource main = new RawSource(server, "/main", (byte) 0x0A);
            try (RawClient listener = listen("/main", "Faithful/1.0")) {
                awaitBytes(listener, (byte) 0x0A, 3000);
                main.close();
                awaitBytes(listener, (byte) 0x0B, 3000); // same connection, now the fallback's stream
                try (RawClient late = listen("/main", "Late/1.0")) {
                    awaitBytes(late, (byte) 0x0B, 3000); // arriving while /main is down: served by /backup
                    try (RawSource back = new RawSource(server, "/main", (byte) 0x0C)) {
                        awaitBytes(listener, (byte) 0x0C, 3000); // fallback_override: home again
                        awaitBytes(late, (byte) 0x0C, 3000);
                    }
                }
            }
        }
    }

    @Test
    void fallbackLoopsAreRefusedAtStart() throws Exception {
        Path loopDir = Files.createDirectories(dir.resolve("loop"));
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> TestServer.start(loopDir, """
                        {"mounts": {
                          "/a": {"fallback": "/b"},
                          "/b": {"fallback": "/c"},
                          "/c": {"fallback": "/a"}
                        }}
                        """));
        assertTrue(refused.getMessage().contains("fallback loop: /a -> /b -> /c -> /a"), refused.getMessage());
        assertTrue(refused.getMessage().contains("line 2"), refused.getMessage());
        assertFalse(refused.getMessage().isBlank());
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
