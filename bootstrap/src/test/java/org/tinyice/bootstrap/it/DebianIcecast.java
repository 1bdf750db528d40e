package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's {@code icecast2} on a free loopback port, for the tests that relay between it and TinyIce.
 * Every password is {@link #PASSWORD}; {@code sections} go inside {@code <icecast>} as they are
 * ({@code <relay>}, {@code <master-server>}, {@code <mount>}). As root it runs as Debian's
 * {@code icecast2} user: Icecast will not run as root.
 */
final class DebianIcecast implements AutoCloseable {

    static final String PASSWORD = "hackme";
    static final String RELAY_USER = "relay";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final ExternalProcess process;

    private DebianIcecast(int port, ExternalProcess process) {
        this.port = port;
        this.process = process;
    }

    static DebianIcecast start(Path parent, String sections) throws Exception {
        ExternalProcess.requireTool("icecast2");
        Path dir = Files.createDirectories(parent.resolve("icecast"));
        Files.createDirectories(dir.resolve("log"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("icecast.xml"), """
                <icecast>
                  <location>relay-test</location><admin>test@localhost</admin><hostname>127.0.0.1</hostname>
                  <limits><clients>100</clients><sources>8</sources><source-timeout>10</source-timeout>
                    <burst-size>65535</burst-size></limits>
                  <authentication><source-password>%2$s</source-password><relay-user>%3$s</relay-user>
                    <relay-password>%2$s</relay-password><admin-user>admin</admin-user><admin-password>%2$s</admin-password>
                  </authentication>
                  <listen-socket><port>%1$d</port><bind-address>127.0.0.1</bind-address></listen-socket>
                  <paths><basedir>/usr/share/icecast2</basedir><logdir>%4$s</logdir>
                    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
                  <logging><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
                  <security><chroot>0</chroot></security>
                  %5$s
                </icecast>
                """.formatted(port, PASSWORD, RELAY_USER, dir.resolve("log"), sections));
        List<String> command = new ArrayList<>(List.of("/usr/bin/icecast2", "-c", dir.resolve("icecast.xml").toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            ExternalProcess.run(parent, 10, List.of("chown", "-R", "icecast2:icecast", dir.toString()));
            ExternalProcess.run(parent, 10, List.of("chmod", "o+x", parent.toString(), dir.toString()));
            command.addAll(0, List.of("setpriv", "--reuid=icecast2", "--regid=icecast", "--init-groups", "--"));
        }
        ExternalProcess process = ExternalProcess.start(dir, command);
        DebianIcecast icecast = new DebianIcecast(port, process);
        try {
            Eventually.await(Duration.ofSeconds(10), "icecast2 listens", () -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    if (!process.isAlive()) {
                        throw new Eventually.GiveUp("icecast2 exited: " + process.output());
                    }
                    return false;
                }
            });
        } catch (RuntimeException | Error e) {
            icecast.close();
            throw e;
        }
        return icecast;
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Where an encoder streams {@code mount} to this Icecast (ffmpeg's icecast:// URL). */
    String sourceUrl(String mount) {
        return "icecast://source:" + PASSWORD + "@127.0.0.1:" + port + mount;
    }

    String statusJson() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url("/status-json.xsl"))).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
