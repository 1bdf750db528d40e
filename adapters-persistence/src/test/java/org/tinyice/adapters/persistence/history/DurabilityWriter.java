package org.tinyice.adapters.persistence.history;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.tinyice.application.port.out.SongPlay;

/**
 * Run as its own process by {@link KillNineDurabilityTest}: writes song plays "song 0", "song 1", ...
 * into the database in the directory given as the argument, and prints each number on a line of its own
 * once the write has returned (committed). Stops by itself after a while, in case nobody kills it.
 */
public final class DurabilityWriter {

    static final String MOUNT = "/durable";
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(2);

    private DurabilityWriter() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        long giveUp = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        SqliteDatabase database = SqliteDatabase.open(Path.of(args[0]));
        JdbiSongHistory history = new JdbiSongHistory(database);
        for (int n = 0; System.nanoTime() < giveUp; n++) {
            history.record(SongPlay.of(MOUNT, "song " + n, Instant.ofEpochMilli(n), 0));
            // one write per acknowledgement, so the reader never sees half a number as a whole line
            out.print(n + "\n");
            out.flush();
        }
        database.close();
    }
}
