package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.SongPlay;

/**
 * A write that returned survives the process being killed without warning: a separate JVM writes
 * numbered rows and acknowledges each after its commit, is killed with SIGKILL mid-stream, and every
 * acknowledged row must be in the file, which must pass SQLite's integrity check.
 */
class KillNineDurabilityTest {

    private static final int ACKNOWLEDGEMENTS_BEFORE_KILL = 300;
    private static final long WAIT_FOR_ACKNOWLEDGEMENTS_MILLIS = 60_000;

    @TempDir
    Path dataDirectory;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyAcknowledgedWriteSurvivesKillNine() throws Exception {
        Path errors = dataDirectory.resolve("writer-stderr.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DurabilityWriter.class.getName(), dataDirectory.toString())
                .redirectError(errors.toFile())
                .start();
        ConcurrentLinkedQueue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> readAcknowledgements(writer.getInputStream(), acknowledged));
        try {
            long deadline = System.currentTimeMillis() + WAIT_FOR_ACKNOWLEDGEMENTS_MILLIS;
            while (acknowledged.size() < ACKNOWLEDGEMENTS_BEFORE_KILL) {
                if (!writer.isAlive()) {
                    fail("the writer stopped early with " + writer.exitValue() + ": " + Files.readString(errors));
                }
                if (System.currentTimeMillis() > deadline) {
                    fail("only " + acknowledged.size() + " writes acknowledged in time: " + Files.readString(errors));
                }
                Thread.sleep(10);
            }
        } finally {
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the writer did not die");
            reader.join(10_000);
        }
        assertEquals(137, writer.exitValue(), "killed by SIGKILL (128 + 9)");
        Path log = dataDirectory.resolve(SqliteDatabase.FILE_NAME + "-wal");
        assertTrue(Files.exists(log) && Files.size(log) > 0, "the killed writer left its write-ahead log behind");

        try (SqliteDatabase reopened = SqliteDatabase.open(dataDirectory);
             Handle handle = reopened.jdbi().open()) {
            Set<String> kept = new HashSet<>();
            for (SongPlay play : new JdbiSongHistory(reopened).recent(DurabilityWriter.MOUNT, Integer.MAX_VALUE,
                    Optional.empty())) {
                kept.add(play.title());
            }
            assertTrue(acknowledged.size() >= ACKNOWLEDGEMENTS_BEFORE_KILL);
            for (int n : acknowledged) {
                assertTrue(kept.contains("song " + n), "acknowledged write " + n + " was lost");
            }
            assertEquals(List.of("ok"), handle.createQuery("PRAGMA integrity_check").mapTo(String.class).list());
        }
    }

    /** Collects the numbers of whole lines only: a line cut short by the kill was not acknowledged. */
    private static void readAcknowledgements(InputStream in, ConcurrentLinkedQueue<Integer> acknowledged) {
        StringBuilder line = new StringBuilder();
        try (in) {
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    acknowledged.add(Integer.parseInt(line.toString()));
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
        } catch (IOException e) {
            // the stream ends with the process
        }
    }
}
