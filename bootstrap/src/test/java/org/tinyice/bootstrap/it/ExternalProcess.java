package org.tinyice.bootstrap.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real encoder or player (ffmpeg, shout, ezstream, curl, ffprobe) run as the user would run it.
 * Its output goes to a file so a failing test can show it; it is always killed on close.
 */
public final class ExternalProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final List<String> command;

    private ExternalProcess(Process process, Path log, List<String> command) {
        this.process = process;
        this.log = log;
        this.command = command;
    }

    public static ExternalProcess start(Path dir, List<String> command) throws IOException {
        return start(dir, command, null);
    }

    /** @param stdin a file to feed on standard input, or null for none */
    public static ExternalProcess start(Path dir, List<String> command, Path stdin) throws IOException {
        requireTool(command.getFirst());
        Path log = Files.createTempFile(dir, command.getFirst() + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        return new ExternalProcess(builder.start(), log, command);
    }

    /** Runs to completion (bounded) and returns the exit code. */
    public static Result run(Path dir, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        try (ExternalProcess p = start(dir, command)) {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output());
        }
    }

    public record Result(int exitCode, String output) { }

    /** The tools are installed by .ci/run; a missing one is a broken machine, not a reason to skip. */
    static void requireTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed (.ci/run installs it: apt-get install ffmpeg libshout-tools ezstream curl icecast2 liquidsoap pebble openssl)");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    public int exitCode() {
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
