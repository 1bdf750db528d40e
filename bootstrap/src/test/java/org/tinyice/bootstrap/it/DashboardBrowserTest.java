package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard and the public page in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them). Missing browsers fail these tests: they are
 * never skipped. Screenshots go to {@code docs/screenshots/}.
 */
class DashboardBrowserTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir
    static Path dir;
    static TestServer server;
    WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"mounts": {"/jazz": {"name": "Late Night Jazz"}},
                 "users": [{"name": "dj-anna", "password": "anna-password", "role": "dj", "mounts": ["/anna"]}]}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void openBrowser() throws IOException {
        browser = chromium(Files.createTempDirectory(dir, "profile"));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Debian's Chromium with the flags it needs on a closed network, and a fresh profile. */
    static WebDriver chromium(Path profile) {
        return chromium(profile, new String[0]);
    }

    /** The same with more flags (e.g. {@code --ignore-certificate-errors} for a test CA). */
    static WebDriver chromium(Path profile, String... extraArguments) {
        assertTrue(new File(CHROMIUM).canExecute(), CHROMIUM + " is missing: apt-get install chromium chromium-driver");
        assertTrue(new File(CHROMEDRIVER).canExecute(), CHROMEDRIVER + " is missing: apt-get install chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * Waits until the condition holds. The live view redraws its rows on every event (each 500 ms), so an element
     * found a moment ago may be gone: a stale element is another try, not a failure.
     */
    <T> T waitFor(Duration limit, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, limit, Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    /** One relay row's cells, read together so that they come from the same redraw. */
    record RelayRow(String text, String state, String upstream) {
    }

    /** Waits for the mount's relay row to show the text in the state; a relay between retries passes "connecting". */
    RelayRow relayRow(String mount, String containing, String stateStart) {
        return waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("[data-relay='" + mount + "']"))
                .stream().map(r -> new RelayRow(r.getText(), r.findElement(By.cssSelector(".state")).getText(),
                        r.findElement(By.cssSelector(".upstream")).getText()))
                .filter(r -> r.text().contains(containing) && r.state().startsWith(stateStart)).findFirst().orElse(null));
    }

    void logIn(String user, String password) {
        logIn(server, user, password);
    }

    void logIn(TestServer target, String user, String password) {
        browser.get(target.url("/admin"));
        waitFor(Duration.ofSeconds(5), d -> d.getCurrentUrl().endsWith("/admin/login"));
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login-button")).click();
    }

    WebElement card(String mount) {
        return waitFor(Duration.ofSeconds(5), d -> d.findElement(By.cssSelector("[data-mount='" + mount + "']")));
    }

    String text(String mount, String cssClass) {
        return browser.findElement(By.cssSelector("[data-mount='" + mount + "'] ." + cssClass)).getText();
    }

    static Path screenshots() throws IOException {
        Path docs = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("docs");
        Path target = Files.isDirectory(docs) ? docs.resolve("screenshots") : Path.of("target", "screenshots");
        return Files.createDirectories(target);
    }

    /** Listeners that read what they are sent, as players do (a listener that does not read stalls). */
    static void drain(RawClient... clients) {
        for (RawClient client : clients) {
            Thread.ofVirtual().start(() -> {
                try {
                    client.input().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
        }
    }

    void screenshot(String name) throws IOException {
        Files.write(screenshots().resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** A source with the headers a real encoder sends (name, bitrate, user agent), for the screenshots. */
    static final class Encoder implements AutoCloseable {
        private final RawClient connection;
        private final Thread pump;
        private volatile boolean running = true;

        Encoder(String mount, String name, String userAgent) throws IOException {
            connection = new RawClient(server.port());
            connection.send("SOURCE " + mount + " HTTP/1.0\r\nAuthorization: Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("source:" + TestServer.SOURCE_PASSWORD).getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Type: audio/mpeg\r\nice-name: " + name + "\r\nice-bitrate: 128\r\n"
                    + "User-Agent: " + userAgent + "\r\n\r\n");
            String answer = connection.readHead();
            assertTrue(answer.startsWith("HTTP/1.0 200 OK"), answer);
            byte[] piece = new byte[1600]; // 128 kbit/s in pieces of 100 ms
            pump = Thread.ofVirtual().start(() -> {
                try {
                    while (running) {
                        connection.send(piece);
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    running = false;
                }
            });
        }

        @Override
        public void close() throws IOException {
            running = false;
            pump.interrupt();
            connection.close();
        }
    }

    @Test
    void anAdminBansAListenerFromItsRowAndLiftsTheBan() throws Exception {
        try (RawSource source = new RawSource(server, "/bannable", (byte) 2);
             RawClient listener = RawClient.from("127.0.0.9", server.port())) {
            Eventually.await(Duration.ofSeconds(5), "/bannable is on",
                    () -> server.statusJson().contains("/bannable\""));
            listener.send("GET /bannable HTTP/1.0\r\nUser-Agent: Ripper/0.1\r\n\r\n");
            assertTrue(listener.readHead().startsWith("HTTP/1.0 200 OK"));
            logIn(TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            waitFor(Duration.ofSeconds(5), d -> d.getCurrentUrl().endsWith("/admin"));
            card("/bannable");
            waitFor(Duration.ofSeconds(5), d -> d.findElement(By.id("no-bans")).isDisplayed());
            browser.findElement(By.cssSelector("[data-mount='/bannable'] .toggle-listeners")).click();
            // two clicks: the first arms the button, the second bans (rows are kept in place between them)
            for (String label : List.of("Ban", "Click again to ban")) {
                waitFor(Duration.ofSeconds(3), d -> d.findElements(By.cssSelector("[data-mount='/bannable'] tbody tr"))
                        .stream().filter(r -> r.getText().contains("Ripper/0.1")).findFirst().map(r -> {
                            WebElement ban = r.findElement(By.cssSelector(".ban-listener"));
                            if (!ban.getText().equals(label)) {
                                return null;
                            }
                            ban.click();
                            return true;
                        }).orElse(null));
            }
            listener.timeout(5000);
            assertTrue(listener.closedByServer(), "the banned listener is disconnected");
            waitFor(Duration.ofSeconds(5), d -> d.findElements(By.cssSelector("#bans tr[data-address='127.0.0.9']"))
                    .size() == 1);
            try (RawClient again = RawClient.from("127.0.0.9", server.port())) {
                again.timeout(5000);
                again.send("GET /bannable HTTP/1.0\r\n\r\n");
                assertEquals(0, again.readToEnd().length, "its address is refused at accept");
            } catch (java.net.SocketException reset) {
                // refused by a reset: no answer either
            }
            WebElement address = browser.findElement(By.id("ban-address"));
            address.sendKeys("2001:db8::/32");
            browser.findElement(By.id("ban-add")).click();
            waitFor(Duration.ofSeconds(5), d -> d.findElements(By.cssSelector("#bans tr")).size() == 2);
            new org.openqa.selenium.interactions.Actions(browser)
                    .scrollToElement(browser.findElement(By.id("bans-section"))).perform();
            screenshot("dashboard-bans.png");

            for (String banned : List.of("127.0.0.9", "2001:db8::/32")) {
                waitFor(Duration.ofSeconds(3), d -> d.findElements(By.cssSelector("#bans tr[data-address='" + banned
                        + "'] .unban")).stream().findFirst().map(b -> {
                            b.click();
                            return true;
                        }).orElse(null));
                waitFor(Duration.ofSeconds(5), d -> d.findElements(
                        By.cssSelector("#bans tr[data-address='" + banned + "']")).isEmpty());
            }
            waitFor(Duration.ofSeconds(5), d -> d.findElement(By.id("no-bans")).isDisplayed());
            try (RawClient back = RawClient.from("127.0.0.9", server.port())) {
                back.send("GET /bannable HTTP/1.0\r\n\r\n");
                assertTrue(back.readHead().startsWith("HTTP/1.0 200 OK"), "the lifted ban is in force at once");
            }
        }
    }

    @Test
    void aDjSeesNoBanButtonsNorTheBannedList() throws Exception {
        logIn("dj-anna", "anna-password");
        waitFor(Duration.ofSeconds(5), d -> d.getCurrentUrl().endsWith("/admin"));
        waitFor(Duration.ofSeconds(5), d -> d.findElement(By.id("live-state")).getText().equals("live"));
        assertFalse(browser.findElement(By.id("bans-section")).isDisplayed());
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/admin/bans').then(r => done(r.status));
                """);
        assertEquals(403L, status, "the list is for admins only");
    }

    @Test
    void anAdminSeesAListenerArriveKicksItSeesTheTitleChangeAndLogsOut() throws Exception {
        try (RawSource source = new RawSource(server, "/browser", (byte) 1);
             Encoder jazz = new Encoder("/jazz", "Late Night Jazz", "Liquidsoap/2.2.5")) {
            logIn(TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            waitFor(Duration.ofSeconds(5), d -> d.getCurrentUrl().endsWith("/admin"));
            card("/browser");
            waitFor(Duration.ofSeconds(2), d -> text("/browser", "listeners").equals("0"));

            // a real player: curl, as a listener would run it (the count is timed from the process start)
            long connected = System.nanoTime();
            try (ExternalProcess curl = ExternalProcess.start(dir, List.of("curl", "-sS", "-o", "/dev/null",
                    "-A", "BrowserListener/1.0", server.url("/browser")))) {
                waitFor(Duration.ofSeconds(1), d -> text("/browser", "listeners").equals("1"));
                long millis = (System.nanoTime() - connected) / 1_000_000;
                assertTrue(millis < 1000, "the count changed after " + millis + " ms");

                browser.findElement(By.cssSelector("[data-mount='/browser'] .toggle-listeners")).click();
                // found and kicked in one step: a row found before a redraw is stale after it
                String kicked = waitFor(Duration.ofSeconds(3), d -> d.findElements(
                        By.cssSelector("[data-mount='/browser'] tbody tr")).stream()
                        .filter(r -> r.getText().contains("BrowserListener/1.0")).findFirst().map(r -> {
                            String text = r.getText();
                            r.findElement(By.cssSelector(".kick-listener")).click();
                            return text;
                        }).orElse(null));
                assertTrue(kicked.contains("127.0.0.1"), kicked);
                assertTrue(curl.waitFor(5), "the kicked listener's connection is closed, so curl ends");
                waitFor(Duration.ofSeconds(2), d -> text("/browser", "listeners").equals("0"));
            }

            assertEquals(200, DashboardClient.apiPost(server,
                    "/api/mounts/metadata?mount=/browser&song=Night%20Owls%20-%20Blue%20Hour").statusCode());
            long titled = System.nanoTime();
            waitFor(Duration.ofSeconds(1), d -> text("/browser", "title").equals("Night Owls - Blue Hour"));
            assertTrue(System.nanoTime() - titled < 1_000_000_000L, "the title arrived within a second");

            Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/admin/sources/kick?mount=/browser', {method: 'POST'}).then(r => done(r.status));
                    """);
            assertEquals(403L, status, "a POST without the CSRF token is refused");
            assertTrue(source.isStreaming());

            try (RawClient a = RawClient.listen(server, "/jazz", "VLC/3.0.21 LibVLC/3.0.21");
                 RawClient b = RawClient.listen(server, "/jazz", "Lavf/59.27.100");
                 RawClient c = RawClient.listen(server, "/browser", "foobar2000/2.1")) {
                drain(a, b, c);
                assertEquals(200, DashboardClient.apiPost(server,
                        "/api/mounts/metadata?mount=/jazz&song=Miles%20Davis%20-%20So%20What").statusCode());
                waitFor(Duration.ofSeconds(2), d -> text("/jazz", "listeners").equals("2"));
                browser.findElement(By.cssSelector("[data-mount='/jazz'] .toggle-listeners")).click();
                waitFor(Duration.ofSeconds(3), d -> d.findElements(
                        By.cssSelector("[data-mount='/jazz'] tbody tr")).size() == 2);
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1350));
                Thread.sleep(2500); // a few more events, so rates and times are filled in
                screenshot("dashboard.png");
            }

            browser.findElement(By.id("logout")).click();
            waitFor(Duration.ofSeconds(3), d -> d.getCurrentUrl().endsWith("/admin/login"));
            browser.get(server.url("/admin"));
            waitFor(Duration.ofSeconds(3), d -> d.getCurrentUrl().endsWith("/admin/login"));
        }
    }

    @Test
    void anAdminSeesEachRelaysStateTitleAndLastErrorButNeverItsPassword() throws Exception {
        try (RawSource origin = new RawSource(server, "/relayed", (byte) 5);
             TestServer edge = TestServer.start(Files.createTempDirectory(dir, "edge"), """
                     {"relays": [{"url": "%s", "mount": "/edge", "username": "relay", "password": "relay-pw-1234"},
                                 {"url": "%s"}]}
                     """.formatted(server.url("/relayed"), server.url("/nowhere")))) {
            assertEquals(200, DashboardClient.apiPost(server,
                    "/api/mounts/metadata?mount=/relayed&song=Origin%20-%20Song").statusCode());
            logIn(edge, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            RelayRow relayed = relayRow("/edge", "Origin - Song", "connected since");
            assertEquals(server.url("/relayed"), relayed.upstream(), relayed.text());
            relayRow("/nowhere", "answered 404", "waiting until");
            assertFalse(browser.getPageSource().contains("relay-pw-1234"), "the upstream's password is never shown");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
            Thread.sleep(1200); // the received bytes grow for a few events
            screenshot("dashboard-relays.png");
        }
    }

    @Test
    void aDjSeesOnlyItsOwnMount() throws Exception {
        try (RawSource anna = new RawSource(server, "/anna", (byte) 3);
             RawSource other = new RawSource(server, "/other", (byte) 4)) {
            logIn("dj-anna", "anna-password");
            card("/anna");
            Thread.sleep(600);
            assertTrue(browser.findElements(By.cssSelector("[data-mount='/other']")).isEmpty());
            assertEquals("dj", browser.findElement(By.id("who-role")).getText().toLowerCase(java.util.Locale.ROOT));
            assertFalse(browser.findElement(By.id("lockouts-section")).isDisplayed());
            assertFalse(browser.findElement(By.id("relays-section")).isDisplayed());
        }
    }

    @Test
    void fiveFailedLoginsLockTheAddressOut() throws Exception {
        Path own = Files.createDirectories(dir.resolve("lockout"));
        try (TestServer locked = TestServer.start(own, null)) {
            for (int i = 1; i <= 5; i++) {
                browser.get(locked.url("/admin/login"));
                browser.findElement(By.id("user")).sendKeys("admin");
                browser.findElement(By.id("password")).sendKeys("guess-" + i);
                browser.findElement(By.id("login-button")).click();
                String expected = i < 5 ? "login-error" : "login-locked";
                waitFor(Duration.ofSeconds(3), d -> !d.findElements(By.id(expected)).isEmpty());
            }
            browser.get(locked.url("/admin/login"));
            browser.findElement(By.id("user")).sendKeys(TestServer.ADMIN_USER);
            browser.findElement(By.id("password")).sendKeys(TestServer.ADMIN_PASSWORD);
            browser.findElement(By.id("login-button")).click();
            WebElement message = waitFor(Duration.ofSeconds(3), d -> d.findElement(By.id("login-locked")));
            assertTrue(message.getText().contains("locked out until"), message.getText());
            screenshot("login-locked.png");
        }
    }

    @Test
    void thePublicPageListsPublicMountsLive() throws Exception {
        try (Encoder jazz = new Encoder("/jazz", "Late Night Jazz", "Liquidsoap/2.2.5");
             Encoder live = new Encoder("/live", "Morning Show", "butt/0.1.40");
             RawClient a = RawClient.listen(server, "/jazz", "Fan/1.0")) {
            DashboardClient.apiPost(server, "/api/mounts/metadata?mount=/jazz&song=Miles%20Davis%20-%20So%20What");
            DashboardClient.apiPost(server, "/api/mounts/metadata?mount=/live&song=Weather%20%26%20News");
            browser.get(server.url("/"));
            waitFor(Duration.ofSeconds(3), d -> text("/jazz", "count").equals("1"));
            assertEquals("Late Night Jazz (/jazz)", text("/jazz", "mount-path"));
            assertEquals("Miles Davis - So What", text("/jazz", "title"));
            try (RawClient b = RawClient.listen(server, "/live", "Fan/2.0")) {
                waitFor(Duration.ofSeconds(1), d -> text("/live", "count").equals("1"));
                screenshot("public.png");
            }
            List<WebElement> cards = browser.findElements(By.cssSelector(".public-mount"));
            assertEquals(2, cards.size());
        }
    }

    @Test
    void thePlayerPagePlaysALiveMountWithItsTitleAndListenerCount() throws Exception {
        try (ExternalProcess ffmpeg = Encoders.ffmpegMp3(dir, server, "/morning.mp3", "-ice_name", "Morning Show")) {
            Sources.awaitMount(server, "/morning.mp3", ffmpeg);
            assertEquals(200, DashboardClient.apiPost(server,
                    "/api/mounts/metadata?mount=/morning.mp3&song=Nina%20Simone%20-%20Feeling%20Good").statusCode());
            try (RawClient fan = RawClient.listen(server, "/morning.mp3", "Fan/1.0")) {
                drain(fan);
                browser.get(server.url("/"));
                card("/morning.mp3").findElement(By.cssSelector("a.player")).click();
                waitFor(Duration.ofSeconds(3), d -> d.getCurrentUrl().endsWith("/player/morning.mp3"));
                waitFor(Duration.ofSeconds(3), d -> d.findElement(By.id("count")).getText().equals("1"));
                assertEquals("Morning Show", browser.findElement(By.id("station")).getText());
                assertEquals("Nina Simone - Feeling Good", browser.findElement(By.id("title")).getText());
                assertEquals("Morning Show · TinyIce", browser.getTitle());

                WebElement audio = browser.findElement(By.id("audio"));
                assertTrue(audio.getDomAttribute("controls") != null, "the browser's own controls");
                assertTrue(audio.getDomProperty("src").endsWith("/morning.mp3"), audio.getDomProperty("src"));
                // press the native play button (left end of the control): a real click, which autoplay rules
                // need. It plays only if the CSP allows the media and the request reaches the Icecast side.
                new Actions(browser).moveToElement(audio, -audio.getSize().getWidth() / 2 + 18, 0).click().perform();
                waitFor(Duration.ofSeconds(5), d -> ((Number) ((JavascriptExecutor) d)
                        .executeScript("return document.getElementById('audio').currentTime")).doubleValue() > 1);
                waitFor(Duration.ofSeconds(3), d -> d.findElement(By.id("count")).getText().equals("2"));
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1100, 680));
                screenshot("player.png");

                ffmpeg.close();
                waitFor(Duration.ofSeconds(5), d -> d.findElement(By.id("off-air")).isDisplayed());
            }
        }
    }

    /** A page of another origin (another port) that frames the embeddable player, as a station's website would. */
    @Test
    void anotherSiteCanFrameTheEmbeddablePlayer() throws Exception {
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!doctype html><title>A station's website</title><body style=\"font-family:sans-serif\">"
                + "<h1>Listen live</h1><iframe id=\"player\" src=\"" + server.url("/embed/evening")
                + "\" width=\"320\" height=\"90\" style=\"border:0\"></iframe>").getBytes(StandardCharsets.UTF_8);
        site.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=UTF-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
        try (Encoder evening = new Encoder("/evening", "Evening Drive", "butt/0.1.40");
             RawClient a = RawClient.listen(server, "/evening", "Fan/1.0");
             RawClient b = RawClient.listen(server, "/evening", "Fan/2.0")) {
            drain(a, b);
            DashboardClient.apiPost(server, "/api/mounts/metadata?mount=/evening&song=Fleetwood%20Mac%20-%20Dreams");
            browser.get("http://127.0.0.1:" + site.getAddress().getPort() + "/");
            WebElement frame = browser.findElement(By.id("player"));
            // into the frame again on every try: switched into while it still held its first empty document,
            // the driver can stay there after the player (another origin, another renderer) replaces it
            waitFor(Duration.ofSeconds(10), d -> {
                d.switchTo().defaultContent();
                d.switchTo().frame(frame);
                return d.findElements(By.id("count")).stream().anyMatch(count -> count.getText().equals("2"));
            });
            assertEquals("Evening Drive", browser.findElement(By.id("station")).getText());
            assertEquals("Fleetwood Mac - Dreams", browser.findElement(By.id("title")).getText());
            assertTrue(browser.findElement(By.id("audio")).isDisplayed());
            browser.switchTo().defaultContent();
            Files.write(screenshots().resolve("embed.png"), frame.getScreenshotAs(OutputType.BYTES));
        } finally {
            site.stop(0);
        }
    }

    @Test
    void theHistoryPageChartsListenersAndListsSongs() throws Exception {
        Path own = Files.createDirectories(dir.resolve("history"));
        Instant now = Instant.now();
        List<String> earlier = List.of("Bill Evans - Waltz for Debby", "Chet Baker - Almost Blue",
                "Nina Simone - Feeling Good", "Dave Brubeck - Take Five", "Ella Fitzgerald - Summertime",
                "John Coltrane - Naima", "Thelonious Monk - 'Round Midnight", "Herbie Hancock - Cantaloupe Island",
                "Sarah Vaughan - Misty", "Art Blakey - Moanin'");
        long seeding = System.nanoTime();
        try (HistorySeed seed = HistorySeed.open(own)) {
            seed.station("/jazz", now);
            for (int i = 0; i < earlier.size(); i++) {
                Instant started = now.minus(Duration.ofMinutes(4L * (earlier.size() + 1 - i) + i % 3));
                seed.song("/jazz", earlier.get(i), started,
                        HistorySeed.audience(started, now, new Random(i)));
            }
        }
        System.out.printf("seeded a year of history in %d ms%n", (System.nanoTime() - seeding) / 1_000_000);
        try (TestServer history = TestServer.start(own, """
                     {"mounts": {"/jazz": {"name": "Late Night Jazz"}}}
                     """);
             RawSource jazz = new RawSource(history, "/jazz", (byte) 5)) {
            List<RawClient> audience = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                audience.add(RawClient.listen(history, "/jazz", "Fan/" + i));
            }
            drain(audience.toArray(RawClient[]::new));
            TestServer.Remote icecast = new TestServer.Remote(history.port());
            Eventually.await(Duration.ofSeconds(5), "20 listeners on /jazz",
                    () -> history.statusJson().matches("(?s).*\"listeners\":20\\b.*"));
            String answer = icecast.adminGet("/admin/metadata?mode=updinfo&mount=/jazz&song="
                    + "Miles%20Davis%20-%20So%20What");
            assertTrue(answer.contains("Metadata update successful"), answer);
            for (RawClient listener : audience) {
                listener.close();
            }

            logIn(history, TestServer.ADMIN_USER, TestServer.ADMIN_PASSWORD);
            waitFor(Duration.ofSeconds(5), d -> d.getCurrentUrl().endsWith("/admin"));
            browser.get(history.url("/admin/history?mount=/jazz"));
            waitFor(Duration.ofSeconds(5), d -> d.findElements(By.cssSelector("#songs tr")).size() == 11);
            List<WebElement> rows = browser.findElements(By.cssSelector("#songs tr"));
            assertTrue(rows.get(0).getText().contains("Miles Davis - So What"), rows.get(0).getText());
            assertTrue(rows.get(0).getText().endsWith(" 20"), "listeners at the start: " + rows.get(0).getText());
            assertTrue(rows.get(10).getText().contains("Bill Evans - Waltz for Debby"), rows.get(10).getText());
            assertEquals("/jazz", new Select(browser.findElement(By.id("mount")))
                    .getFirstSelectedOption().getAttribute("value"));

            WebElement chart = browser.findElement(By.id("chart"));
            waitFor(Duration.ofSeconds(5), d -> "day".equals(chart.getAttribute("data-range")));
            assertTrue(Integer.parseInt(chart.getAttribute("data-points")) >= 280, chart.getAttribute("data-points"));
            assertEquals(1, chart.findElements(By.cssSelector("path.mean-line")).size());
            assertFalse(chart.findElements(By.cssSelector("text.x-label")).isEmpty());
            assertFalse(chart.findElements(By.cssSelector("text.y-label")).isEmpty());

            browser.findElement(By.cssSelector(".range[data-range='year']")).click();
            waitFor(Duration.ofSeconds(5), d -> "year".equals(chart.getAttribute("data-range")));
            assertTrue(Integer.parseInt(chart.getAttribute("data-points")) >= 360, chart.getAttribute("data-points"));
            assertEquals("true", browser.findElement(By.cssSelector(".range[data-range='year']"))
                    .getAttribute("aria-pressed"));
            assertTrue(browser.getCurrentUrl().endsWith("/admin/history?mount=%2Fjazz&range=year"),
                    browser.getCurrentUrl());

            browser.findElement(By.cssSelector(".range[data-range='week']")).click();
            waitFor(Duration.ofSeconds(5), d -> "week".equals(chart.getAttribute("data-range")));
            int weekPoints = Integer.parseInt(chart.getAttribute("data-points"));
            assertTrue(weekPoints >= 165 && weekPoints <= 169, String.valueOf(weekPoints));

            // the tip shows the point under the mouse
            new Actions(browser).moveToElement(chart, 180, 0).perform();
            WebElement tip = waitFor(Duration.ofSeconds(2), d -> d.findElement(By.id("chart-tip")).isDisplayed()
                    ? d.findElement(By.id("chart-tip")) : null);
            assertTrue(tip.getText().contains("peak"), tip.getText());
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1060));
            Thread.sleep(300); // the chart redraws at the new width
            new Actions(browser).moveToElement(chart, 180, 0).perform();
            screenshot("dashboard-history.png");
        }
    }
}
