package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser-like dashboard client over the JDK HTTP client: keeps the session cookie by hand (so a
 * test can drop, keep or replay it) and never follows redirects (so a test sees them).
 */
final class DashboardClient {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final TestServer server;
    String cookie; // "tinyice_session=..." or null
    String csrf;

    DashboardClient(TestServer server) {
        this.server = server;
    }

    /** Logs in (asserting nothing); on success keeps the cookie and fetches the CSRF token. */
    HttpResponse<String> logIn(String user, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url("/admin/login")))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + encode(user) + "&password=" + encode(password)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Optional<String> setCookie = answer.headers().firstValue("Set-Cookie");
        if (answer.statusCode() == 303 && setCookie.isPresent()) {
            cookie = setCookie.get().substring(0, setCookie.get().indexOf(';'));
            HttpResponse<String> session = get("/admin/session");
            Matcher m = Pattern.compile("\"csrf_token\":\"([^\"]+)\"").matcher(session.body());
            csrf = m.find() ? m.group(1) : null;
        }
        return answer;
    }

    static DashboardClient loggedIn(TestServer server, String user, String password) throws Exception {
        DashboardClient client = new DashboardClient(server);
        HttpResponse<String> answer = client.logIn(user, password);
        if (answer.statusCode() != 303 || client.csrf == null) {
            throw new AssertionError("login of " + user + " failed: " + answer.statusCode() + " " + answer.body());
        }
        return client;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with this client's cookie and the given CSRF token (null: none). */
    HttpResponse<String> post(String path, String csrfToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.noBody());
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of a url-encoded form, with this client's cookie and CSRF token. */
    HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return HTTP.send(request(path).header("X-CSRF-Token", csrf)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return post(path, csrf);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    /** The JSON API with the admin's Basic credentials (titles are set through it). */
    static HttpResponse<String> apiPost(TestServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of the JSON API with the admin's Basic credentials. */
    static HttpResponse<String> apiGet(TestServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (TestServer.ADMIN_USER + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The id of the listener with this user agent, from {@code /admin/listeners}. */
    long listenerId(String mount, String userAgent) throws Exception {
        String body = get("/admin/listeners?mount=" + encode(mount)).body();
        Matcher m = Pattern.compile("\"id\":(\\d+),\"address\":\"[^\"]*\",\"user_agent\":\"" + Pattern.quote(userAgent))
                .matcher(body);
        if (!m.find()) {
            throw new AssertionError("no listener " + userAgent + " in " + body);
        }
        return Long.parseLong(m.group(1));
    }
}
