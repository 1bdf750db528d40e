package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a caching reverse proxy in front of TinyIce, on loopback, with its own
 * configuration, cache, logs and pid file in a temporary directory; stopped by its pid. The
 * configuration is the one docs/hls.md recommends.
 */
public final class NginxCache implements AutoCloseable {

    static final String NGINX = "/usr/sbin/nginx";

    private final Process process;
    private final Path dir;
    private final int port;

    private NginxCache(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The configuration docs/hls.md shows, with this test's ports and directory. */
    static String config(Path dir, int port, int upstreamPort) {
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    proxy_cache_path %1$s/cache levels=1:2 keys_zone=hls:10m max_size=1g inactive=10m
                                     use_temp_path=off;
                    upstream tinyice {
                        server 127.0.0.1:%3$d;
                        keepalive 16;
                    }
                    server {
                        listen 127.0.0.1:%2$d;
                        # playlists and segments: cached as TinyIce's Cache-Control says
                        location ~ \\.(m3u8|mp3|aac)$ {
                            proxy_pass http://tinyice;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_cache hls;
                            # one request upstream per expired item, however many clients ask at once
                            proxy_cache_lock on;
                            proxy_cache_lock_timeout 5s;
                            proxy_cache_use_stale updating;
                            proxy_cache_revalidate on;
                            add_header X-Cache-Status $upstream_cache_status;
                        }
                    }
                }
                """.formatted(dir, port, upstreamPort);
    }

    /** Starts nginx in front of {@code upstreamPort}; returns once it accepts connections. */
    public static NginxCache start(Path parent, int upstreamPort) throws Exception {
        if (!Files.isExecutable(Path.of(NGINX))) {
            throw new AssertionError("nginx is not installed (.ci/run installs it: apt-get install nginx)");
        }
        Path dir = Files.createTempDirectory(parent, "nginx-");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path conf = dir.resolve("nginx.conf");
        // as root (CI's container), nginx's workers would run as nobody and find the test's 0700 directory
        // shut; the directive is ignored, with a warning, for anyone else
        Files.writeString(conf, "user " + System.getProperty("user.name") + ";\n" + config(dir, port, upstreamPort));
        Process process = new ProcessBuilder(NGINX, "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", conf.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        NginxCache nginx = new NginxCache(process, dir, port);
        try {
            Eventually.await(Duration.ofSeconds(15), "nginx accepts on " + port, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("nginx exited: " + nginx.errorLog());
                }
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    return Files.exists(dir.resolve("nginx.pid"));
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (Exception | AssertionError e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String errorLog() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(none)";
        }
    }

    /** Stops nginx by the pid it wrote (its master; the worker follows), then its process handle as a fallback. */
    @Override
    public void close() {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("nginx.pid")).strip());
            ProcessHandle.of(pid).ifPresent(master -> {
                List<ProcessHandle> workers = master.descendants().toList();
                master.destroy();
                try {
                    master.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception slow) {
                    master.destroyForcibly();
                }
                workers.forEach(ProcessHandle::destroyForcibly);
            });
        } catch (IOException | NumberFormatException noPidFile) {
            // not started far enough to write one: the process handle below ends it
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
