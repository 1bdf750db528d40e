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

    private static final Pattern LISTENING = Pattern.compile("TinyIce listening on [^:]+:(\\d+)[ ,]");

    private final Process process;
    private final int port;
    private final List<String> output;

    private ServerProcess(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** Starts {@code Main} on 127.0.0.1 and a free port with its configuration and data in {@code dir}. */
    public static ServerProcess start(Path dir) throws Exception {
        return start(dir, new String[0]);
    }

    /** As {@link #start(Path)}, with more command-line flags ({@code --take-over}, ...). */
    public static ServerProcess start(Path dir, String... flags) throws Exception {
        return started(builder(dir.resolve("tinyice.json"), dir, false, flags).start());
    }

    /**
     * Starts {@code Main} with this configuration file and data directory.
     *
     * @param heedFilePermissions run without the capability to override file permissions, so that a
     *                            {@code chmod} stops the server as it stops an operator's unprivileged
     *                            service (the tests run as root, whom permissions do not stop otherwise)
     */
    public static ServerProcess start(Path configFile, Path dataDir, boolean heedFilePermissions) throws Exception {
        return started(builder(configFile, dataDir, heedFilePermissions).start());
    }

    private static ServerProcess started(Process process) throws Exception {
        List<String> lines = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        // a platform thread: a blocking pipe read must not depend on the test JVM's virtual-thread carriers
        Thread.ofPlatform().daemon(true).name("server-output-" + process.pid()).start(() -> {
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
        try {
            return new ServerProcess(process, port.get(60, TimeUnit.SECONDS), lines);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Starts {@code Main} with {@code flags} and waits (bounded) for it to exit: for a start that must fail. */
    public static Exited run(Path dir, String... flags) throws Exception {
        Process process = builder(dir.resolve("tinyice.json"), dir, false, flags).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 60 s");
        }
        return new Exited(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    /** What an exited process printed and its status. */
    public record Exited(int status, String output) {
    }

    private static ProcessBuilder builder(Path configFile, Path dataDir, boolean heedFilePermissions,
                                          String... flags) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        if (heedFilePermissions) {
            command.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        }
        // a build started under nohup passes an ignored SIGHUP down to every process; the server must get it
        command.addAll(List.of("env", "--default-signal=HUP", java, "-XX:+UseSerialGC", "-Xmx256m",
                // the access the listener write path needs, as the jar's manifest gives it (SocketDescriptors)
                "--add-opens", "java.base/java.net=ALL-UNNAMED", "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.tinyice.bootstrap.Main",
                "--host", "127.0.0.1", "--port", "0", "--config", configFile.toString(),
                "--data-dir", dataDir.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TINYICE_ADMIN_USER", TestServer.ADMIN_USER);
        builder.environment().put("TINYICE_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        builder.environment().put("TINYICE_SOURCE_PASSWORD", TestServer.SOURCE_PASSWORD);
        return builder;
    }

    public int port() {
        return port;
    }

    /** SIGHUP, as an operator's {@code kill -HUP}: the server reloads its configuration. */
    public void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -HUP failed");
        }
    }

    /** Waits (bounded) for a line of the server's output that contains {@code text}, after line {@code from}. */
    public String awaitLine(int from, String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            synchronized (output) {
                for (String line : output.subList(Math.min(from, output.size()), output.size())) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        synchronized (output) {
            throw new AssertionError("no line with \"" + text + "\" in " + output + "\nthe server's threads:\n"
                    + threadDump());
        }
    }

    /** How many lines of the server's output so far contain {@code text}. */
    public long count(String text) {
        synchronized (output) {
            return output.stream().filter(line -> line.contains(text)).count();
        }
    }

    /** What each of the server's threads is doing (jcmd), for a failure's message: where a wait got stuck. */
    private String threadDump() {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            byte[] text = dump.getInputStream().readNBytes(200_000);
            dump.waitFor(10, TimeUnit.SECONDS);
            dump.destroyForcibly();
            return new String(text, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** Waits (bounded) for the process to exit by itself; returns its exit status. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + seconds + " s: " + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the server has written so far, for failure messages. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** How many lines the server has written so far. */
    public int lines() {
        synchronized (output) {
            return output.size();
        }
    }

    /** SIGTERM, as systemd's stop or a plain {@code kill}: the shutdown hook runs. */
    public void terminate() {
        process.destroy();
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
