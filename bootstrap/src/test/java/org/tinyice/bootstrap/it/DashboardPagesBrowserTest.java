package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's mount settings and accounts pages, and the live view's move-all, in a real headless
 * Chromium (see {@link DashboardBrowserTest}); screenshots go to {@code docs/screenshots/}.
 */
class DashboardPagesBrowserTest {

    @TempDir
    static Path dir;
    static TestServer server;
    WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"mounts": {"/live": {"name": "Studio A", "max_listeners": 500, "fallback": "/backup"},
                            "/backup": {"hidden": true}},
                 "users": [{"name": "dj-anna", "password": "anna-password", "role": "dj", "mounts": ["/live"]}]}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void openBrowser() throws IOException {
        browser = DashboardBrowserTest.chromium(Files.createTempDirectory(dir, "profile"));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        // pages re-render after an action: an element found a moment ago may be gone, so look again
        return new WebDriverWait(browser, Duration.ofSeconds(5), Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    void logInAsAdmin() {
        browser.get(server.url("/admin/login"));
        browser.findElement(By.id("user")).sendKeys(TestServer.ADMIN_USER);
        browser.findElement(By.id("password")).sendKeys(TestServer.ADMIN_PASSWORD);
        browser.findElement(By.id("login-button")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("/admin"));
    }

    /** The state badge of /live's settings (its text as written; CSS shows it in capitals). */
    static String badge(WebDriver browser) {
        return browser.findElement(By.cssSelector("form[data-mount='/live'] .badge")).getDomProperty("textContent");
    }

    void screenshot(String name) throws IOException {
        Files.write(DashboardBrowserTest.screenshots().resolve(name),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void anAdminEditsAMountDisablesItAndEnablesItAgain() throws Exception {
        try (RawSource live = new RawSource(server, "/live", (byte) 1)) {
            logInAsAdmin();
            browser.findElement(By.cssSelector(".nav a[href='/admin/settings']")).click();
            WebElement form = waitFor(d -> d.findElement(By.cssSelector("form[data-mount='/live']")));
            assertEquals("On air", badge(browser));
            WebElement max = form.findElement(By.name("max_listeners"));
            assertEquals("500", max.getDomProperty("value"));
            max.clear();
            max.sendKeys("250");
            form.findElement(By.cssSelector("button.save")).click();
            waitFor(d -> d.findElement(By.cssSelector("form[data-mount='/live'] .saved")).getText().equals("Saved."));
            assertTrue(Files.readString(dir.resolve("tinyice.json")).contains("\"max_listeners\": 250"));
            screenshot("dashboard-settings.png");

            WebElement disable = browser.findElement(By.cssSelector("form[data-mount='/live'] .toggle-enabled"));
            disable.click(); // armed: a second click within 3 s does it
            assertTrue(live.isStreaming(), "one click takes nothing off the air");
            disable.click();
            waitFor(d -> badge(d).equals("Disabled"));
            Eventually.await(Duration.ofSeconds(3), "source dropped", () -> !live.isStreaming());
            browser.findElement(By.cssSelector("form[data-mount='/live'] .toggle-enabled")).click();
            waitFor(d -> badge(d).equals("No source"));
        }
    }

    @Test
    void anAdminAddsAUserAndMakesAndRevokesAToken() throws Exception {
        logInAsAdmin();
        browser.get(server.url("/admin/accounts"));
        WebElement add = waitFor(d -> d.findElement(By.id("add-user")));
        add.findElement(By.name("name")).sendKeys("dj-bea");
        add.findElement(By.name("password")).sendKeys("bea-password");
        add.findElement(By.name("mounts")).sendKeys("/late");
        add.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement row = waitFor(d -> d.findElement(By.cssSelector("tr[data-user='dj-bea']")));
        assertTrue(row.getText().contains("/late"), row.getText());

        browser.findElement(By.cssSelector("#create-token input[name=name]")).sendKeys("now-playing script");
        browser.findElement(By.cssSelector("#create-token button")).click();
        String secret = waitFor(d -> {
            String text = d.findElement(By.id("new-token-secret")).getText();
            return text.startsWith("tinyice_") ? text : null;
        });
        assertEquals(200, DashboardActionsTestBearer.get(server, "/api/status", secret), "the shown token works");
        screenshot("dashboard-accounts.png");

        WebElement revoke = browser.findElement(By.cssSelector("#tokens .revoke-token"));
        revoke.click();
        revoke.click();
        waitFor(d -> d.findElements(By.cssSelector("#tokens tr")).isEmpty());
        assertEquals(401, DashboardActionsTestBearer.get(server, "/api/status", secret), "revoked");
        assertFalse(browser.getPageSource().contains(secret), "a revoked secret is taken off the page");
    }

    @Test
    void aDjMovesAllListenersFromTheLiveView() throws Exception {
        try (RawSource live = new RawSource(server, "/live", (byte) 1);
             RawSource backup = new RawSource(server, "/backup", (byte) 2);
             RawClient listener = RawClient.listen(server, "/live", "Mover/1.0")) {
            DashboardBrowserTest.drain();
            logInAsAdmin();
            WebElement card = waitFor(d -> d.findElement(By.cssSelector("[data-mount='/live']")));
            card.findElement(By.cssSelector(".toggle-listeners")).click();
            waitFor(d -> d.findElement(By.cssSelector("[data-mount='/live'] .move-target")).isDisplayed());
            card.findElement(By.cssSelector(".move-target option[value='/backup']")).click();
            card.findElement(By.cssSelector(".move-listeners")).click();
            listener.awaitRun((byte) 2, 3000);
            waitFor(d -> d.findElement(By.cssSelector("[data-mount='/backup'] .listeners")).getText().equals("1"));
        }
    }

    /** A GET with a bearer token, answering the status code. */
    static final class DashboardActionsTestBearer {
        static int get(TestServer server, String path, String token) throws Exception {
            return DashboardClient.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url(path)))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
