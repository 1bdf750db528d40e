package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard over HTTPS in real Chromium: sent there from plain HTTP by {@code https_redirect}, logged
 * in, its live view running, the session cookie Secure. Chromium runs with
 * {@code --ignore-certificate-errors} (it has no way to trust the test CA without a system store), so
 * the test checks itself that the HTTPS port presents the certificate from the files.
 */
class DashboardHttpsBrowserTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static TestCertificates ca;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.forServerIn(dir, "rsa");
        server = TestServer.start(dir, "{" + TestCertificates.TLS_ON_ANY_PORT + ", \"https_redirect\": true}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBrowserOnPlainHttpEndsUpLoggedInOverHttpsWithASecureCookie() throws Exception {
        assertEquals(TestCertificates.fingerprintOf(dir.resolve("fullchain.pem")),
                ca.presentedFingerprint(server.httpsPort()), "the certificate Chromium is told to accept is ours");
        WebDriver browser = DashboardBrowserTest.chromium(Files.createTempDirectory(dir, "profile"),
                "--ignore-certificate-errors");
        try (RawSource source = new RawSource(server, "/secure-browser", (byte) 7)) {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            browser.get(server.url("/admin"));
            String https = "https://127.0.0.1:" + server.httpsPort();
            wait.until(d -> d.getCurrentUrl().equals(https + "/admin/login"));
            browser.findElement(By.id("user")).sendKeys(TestServer.ADMIN_USER);
            browser.findElement(By.id("password")).sendKeys(TestServer.ADMIN_PASSWORD);
            browser.findElement(By.id("login-button")).click();
            wait.until(d -> d.getCurrentUrl().equals(https + "/admin"));
            // the live view (an event stream over TLS) draws the mount's card
            assertNotNull(wait.until(d -> d.findElement(By.cssSelector("[data-mount='/secure-browser']"))));
            String fingerprint = TestCertificates.fingerprintOf(dir.resolve("fullchain.pem"));
            assertNotNull(wait.until(d -> d.findElement(By.cssSelector("#tls-row .sha256")).getText()
                    .equals(fingerprint) ? "shown" : null), "the admin sees the certificate in force");
            assertTrue(browser.findElement(By.id("tls-section")).isDisplayed());
            assertEquals("by hand (files)", browser.findElement(By.cssSelector("#tls-row .next-renewal")).getText());
            Cookie session = browser.manage().getCookieNamed("tinyice_session");
            assertNotNull(session, "logged in");
            assertTrue(session.isSecure(), "the session cookie is Secure over HTTPS");
            assertTrue(session.isHttpOnly());
        } finally {
            browser.quit();
        }
    }
}
