package org.tinyice.adapters.http.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyice.application.config.TlsConfig;

/** The redirect rule alone: which requests go to HTTPS, and where. The wire behaviour is HttpsRedirectTest's. */
class HttpsRedirectRuleTest {

    private static final Optional<TlsConfig> ON = Optional.of(new TlsConfig(8443, "c.pem", "k.pem", true));
    private static final Optional<String> BROWSER = Optional.of("text/html,application/xhtml+xml,*/*;q=0.8");

    @ParameterizedTest
    @CsvSource({
        "/, /, https://radio.example:8443/",
        "/admin, /admin, https://radio.example:8443/admin",
        "/admin/login, /admin/login?next=%2Fadmin, https://radio.example:8443/admin/login?next=%2Fadmin",
        "/player/live, /player/live, https://radio.example:8443/player/live",
    })
    void pagesGoToTheHttpsPortByTheNameTheBrowserUsed(String path, String target, String expected) {
        assertEquals(Optional.of(expected),
                HttpsRedirect.forPage(ON, "GET", path, target, Optional.of("radio.example:8000"), BROWSER));
    }

    @ParameterizedTest
    @CsvSource({"/api/status", "/healthz", "/metrics", "/events", "/.well-known/acme-challenge/abc"})
    void scriptsMonitoringAndChallengesAreNotPages(String path) {
        assertEquals(Optional.empty(), HttpsRedirect.forPage(ON, "GET", path, path, Optional.of("h"), BROWSER));
    }

    @Test
    void onlyBrowsersOnlyReadsOnlyWhenOnAndOnlyWithAName() {
        Optional<String> host = Optional.of("h:8000");
        assertEquals(Optional.empty(), HttpsRedirect.forPage(ON, "GET", "/", "/", host, Optional.of("*/*")));
        assertEquals(Optional.empty(), HttpsRedirect.forPage(ON, "GET", "/", "/", host, Optional.empty()));
        assertEquals(Optional.empty(), HttpsRedirect.forPage(ON, "POST", "/admin/login", "/admin/login", host, BROWSER));
        assertEquals(Optional.empty(), HttpsRedirect.forPage(Optional.of(new TlsConfig(8443, "c", "k", false)),
                "GET", "/", "/", host, BROWSER));
        assertEquals(Optional.empty(), HttpsRedirect.forPage(Optional.empty(), "GET", "/", "/", host, BROWSER));
        assertEquals(Optional.empty(), HttpsRedirect.forPage(ON, "GET", "/", "/", Optional.of("evil\r\nX: y"), BROWSER));
        assertEquals(Optional.of("https://[::1]:8443/live.m3u"),
                HttpsRedirect.forPlaylist(ON, "GET", "/live.m3u", Optional.of("[::1]:8000"), BROWSER));
        assertEquals(Optional.of("https://radio.example/"), HttpsRedirect.forPage(
                Optional.of(new TlsConfig(443, "c", "k", true)), "HEAD", "/", "/", Optional.of("radio.example"), BROWSER));
    }
}
