package org.tinyice.bootstrap.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** TinyIce in a JVM of its own, for tests that kill it with SIGKILL and start it again. */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("TinyIce listening on [^:]+:(\\d+) ");

    private final Process process;
    private final int port;
    private final List<String> output = new ArrayList<>();

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code Main} on 127.0.0.1 and a free port with its configuration and data in {@code dir}. */
    public static ServerProcess start(Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "org.tinyice.bootstrap.Main",
                "--host", "127.0.0.1", "--port", "0", "--config", dir.resolve("tinyice.json").toString(),
                "--data-dir", dir.toString()).redirectErrorStream(true);
        builder.environment().put("TINYICE_ADMIN_USER", TestServer.ADMIN_USER);
        builder.environment().put("TINYICE_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        builder.environment().put("TINYICE_SOURCE_PASSWORD", TestServer.SOURCE_PASSWORD);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
            port.completeExceptionally(new AssertionError("server exited before listening: " + lines));
        });
        ServerProcess server = new ServerProcess(process, port.get(60, TimeUnit.SECONDS));
        server.output.addAll(lines);
        return server;
    }

    public int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM killer would do it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
