package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.tinyice.application.configuration.PrepareConfiguration.EnvironmentCredentials;
import org.tinyice.bootstrap.Main;
import org.tinyice.bootstrap.StartupOptions;

/**
 * A real TinyIce, wired as {@code main} wires it, on 127.0.0.1 and a free port, with its configuration
 * and data in a temporary directory.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";
    public static final String SOURCE_PASSWORD = "source-secret";

    private final Main.Running running;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Main.Running running) {
        this.running = running;
    }

    /** Starts with the given {@code tinyice.json} text (null: none, first start). */
    public static TestServer start(Path dir, String configJson) throws IOException {
        return start(dir, configJson, 0);
    }

    /** Starts on a given port (0: a free one), e.g. to start a server again where it was. */
    public static TestServer start(Path dir, String configJson, int port) throws IOException {
        Path config = dir.resolve("tinyice.json");
        if (configJson != null) {
            Files.writeString(config, configJson);
        }
        StartupOptions options = new StartupOptions(Optional.of("127.0.0.1"), Optional.of(port), config, dir,
                new EnvironmentCredentials(Optional.of(ADMIN_USER), Optional.of(ADMIN_PASSWORD),
                        Optional.of(SOURCE_PASSWORD)));
        return new TestServer(Main.start(options));
    }

    public int port() {
        return running.port();
    }

    /** The HTTPS port ({@code "tls"} configured). */
    public int httpsPort() {
        return running.server().httpsPort().orElseThrow(() -> new AssertionError("no HTTPS port"));
    }

    /** An HTTPS URL of this server, by the name its test certificate carries. */
    public String httpsUrl(String path) {
        return "https://localhost:" + httpsPort() + path;
    }

    /** Reads the certificate files again, as SIGHUP does; the line it logs. */
    public String reloadCertificates() {
        return running.server().reloadCertificates().orElseThrow();
    }

    /** The ACME side of the HTTPS port ({@code "acme"} configured). */
    public org.tinyice.adapters.http.tls.AcmeCertificates acme() {
        return running.scope().get(org.tinyice.adapters.http.tls.HttpsCertificates.class).acme()
                .orElseThrow(() -> new AssertionError("no ACME configured"));
    }

    /**
     * Starts with a {@code "shoutcast"} entry for {@code mount} that leaves its port out (so port+1): the main
     * port is a free ephemeral one, but the one above it may be another socket's (the port is then skipped,
     * and logged), so this tries again on another port a few times.
     */
    public static TestServer startWithShoutcastOnPortPlusOne(Path dir, String configJson, String mount)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            TestServer server = start(dir, configJson);
            if (server.running.server().shoutcast().port(mount).isPresent() || attempt == 5) {
                return server;
            }
            server.close();
        }
    }

    /** The port SHOUTcast v1 encoders of {@code mount} connect to (a {@code "shoutcast"} entry's). */
    public int shoutcastPort(String mount) {
        return running.server().shoutcast().port(mount)
                .orElseThrow(() -> new AssertionError("no SHOUTcast port open for " + mount));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public String icecastUrl(String mount) {
        return "icecast://source:" + SOURCE_PASSWORD + "@127.0.0.1:" + port() + mount;
    }

    /** GET with the JDK client; body as a string. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public String statusJson() throws IOException, InterruptedException {
        return get("/status-json.xsl").body();
    }

    /** The relays running now, configured and a master's. */
    public java.util.List<org.tinyice.application.port.in.RelayStatusQuery.RelayStatus> relays() {
        return running.scope().get(org.tinyice.application.stream.Relays.class).statuses();
    }

    /** Reloads {@code tinyice.json} as SIGHUP does; whether it took. */
    public boolean reload() {
        return running.scope().get(org.tinyice.application.configuration.ReloadConfiguration.class).reload().reloaded();
    }

    @Override
    public void close() {
        running.close();
    }

    /** A TinyIce started elsewhere (another JVM), reached by its port. */
    public record Remote(int port) {
        public String icecastUrl(String mount) {
            return "icecast://source:" + SOURCE_PASSWORD + "@127.0.0.1:" + port + mount;
        }

        /** An admin command over HTTP/1.0 with the admin's Basic credentials; the whole answer. */
        public String adminGet(String path) throws IOException {
            try (RawClient client = new RawClient(port)) {
                client.send("GET " + path + " HTTP/1.0\r\nAuthorization: Basic " + java.util.Base64.getEncoder()
                        .encodeToString((ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        + "\r\n\r\n");
                return new String(client.readToEnd(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }
}
