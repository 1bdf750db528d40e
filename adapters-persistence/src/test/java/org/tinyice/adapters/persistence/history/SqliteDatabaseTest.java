package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.adapters.persistence.history.SqliteDatabase.UnusableDatabaseException;
import org.tinyice.application.port.out.SongPlay;

class SqliteDatabaseTest {

    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path dataDirectory;

    private Path file() {
        return dataDirectory.resolve(SqliteDatabase.FILE_NAME);
    }

    /** Runs SQL on the file directly, as another program (or an older TinyIce) would. */
    private void execute(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private void makeDatabaseWithPlays(int plays) {
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            JdbiSongHistory history = new JdbiSongHistory(database);
            for (int i = 0; i < plays; i++) {
                history.record(SongPlay.of("/live", "Artist " + i + " - Song " + "x".repeat(100), NOON.plusSeconds(i), i));
            }
        }
    }

    /** Opening must fail, name the file and say {@code expected}, and leave the file's bytes as they were. */
    private void assertRefusedUntouched(String expected) throws IOException {
        byte[] before = Files.readAllBytes(file());

        UnusableDatabaseException refused = assertThrows(UnusableDatabaseException.class,
                () -> SqliteDatabase.open(dataDirectory));

        assertTrue(refused.getMessage().contains(file().toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file()), "the file must not change");
    }

    @Test
    void aNewDatabaseIsMadeAtTheLatestVersionInADirectoryThatDidNotExist() {
        Path nested = dataDirectory.resolve("a/b");

        try (SqliteDatabase database = SqliteDatabase.open(nested)) {
            assertEquals(nested.resolve("tinyice.db").toAbsolutePath(), database.file());
            assertEquals(Schema.MIGRATIONS.getLast().version(), database.schemaVersion());
            assertTrue(Files.exists(database.file()));
        }
    }

    @Test
    void everyConnectionUsesWalNormalSyncABusyTimeoutAndForeignKeys() {
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory);
             Handle handle = database.jdbi().open()) {
            assertEquals("wal", pragma(handle, "journal_mode"));
            assertEquals("1", pragma(handle, "synchronous"), "NORMAL");
            assertEquals(String.valueOf(SqliteDatabase.BUSY_TIMEOUT_MILLIS), pragma(handle, "busy_timeout"));
            assertEquals("1", pragma(handle, "foreign_keys"));
            assertEquals(String.valueOf(Schema.APPLICATION_ID), pragma(handle, "application_id"));
        }
    }

    private static String pragma(Handle handle, String name) {
        return handle.createQuery("PRAGMA " + name).mapTo(String.class).one();
    }

    @Test
    void anEmptyFileBecomesANewDatabase() throws IOException {
        Files.createFile(file());

        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            assertEquals(Schema.MIGRATIONS.getLast().version(), database.schemaVersion());
        }
    }

    @Test
    void opensADatabaseAtTheLatestVersionAgainWithoutChangingIt() {
        makeDatabaseWithPlays(3);

        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            assertEquals(3, new JdbiSongHistory(database).recent("/live", 10, Optional.empty()).size());
        }
    }

    @Test
    void refusesADatabaseOfANewerVersionAndLeavesItAlone() throws Exception {
        makeDatabaseWithPlays(3);
        int newer = Schema.MIGRATIONS.getLast().version() + 1;
        execute("PRAGMA user_version = " + newer);

        assertRefusedUntouched("newer TinyIce (schema version " + newer);
    }

    @Test
    void refusesAFileThatIsNotAnSqliteDatabaseAndLeavesItAlone() throws IOException {
        Files.writeString(file(), "{\"port\": 8000}\nthis is the configuration, not the history\n",
                StandardCharsets.UTF_8);

        assertRefusedUntouched("is not an SQLite database");
        assertFalse(Files.exists(dataDirectory.resolve("tinyice.db-wal")));
    }

    @Test
    void refusesADamagedDatabaseAndLeavesItAlone() throws IOException {
        makeDatabaseWithPlays(2_000);
        byte[] bytes = Files.readAllBytes(file());
        assertTrue(bytes.length > 8 * 4096, "enough pages to damage: " + bytes.length);
        // keep the header page, scribble over the rest
        Arrays.fill(bytes, 2 * 4096, bytes.length, (byte) 0x5A);
        Files.write(file(), bytes);

        assertRefusedUntouched("is damaged");
    }

    @Test
    void refusesAnotherProgramsDatabaseAndLeavesItAlone() throws Exception {
        execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER)",
                "INSERT INTO accounts (balance) VALUES (100)");

        assertRefusedUntouched("another program");
    }

    @Test
    void aClosedDatabaseRefusesFurtherCalls() {
        SqliteDatabase database = SqliteDatabase.open(dataDirectory);
        JdbiSongHistory history = new JdbiSongHistory(database);
        database.close();

        assertThrows(RuntimeException.class, () -> history.recent("/live", 1, Optional.empty()));
        database.close();
    }

    @Test
    void aConnectionLeftInsideATransactionIsNotReused() {
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            Handle careless = database.jdbi().open();
            careless.begin();
            careless.execute("INSERT INTO song_plays (mount, title, started_ms, listeners) VALUES ('/live', 'A', 0, 0)");
            assertThrows(RuntimeException.class, careless::close, "JDBI rolls back and says so");

            JdbiSongHistory history = new JdbiSongHistory(database);
            assertEquals(List.of(), history.recent("/live", 10, Optional.empty()));
            history.record(SongPlay.of("/live", "B", NOON, 0));
            assertEquals(1, history.recent("/live", 10, Optional.empty()).size());
        }
    }

    @Test
    void closingCheckpointsTheLogIntoTheFile() {
        makeDatabaseWithPlays(10);

        assertFalse(Files.exists(dataDirectory.resolve("tinyice.db-wal")), "the WAL is folded in and removed");
    }

    @Test
    void aFailedMigrationLeavesTheDatabaseAtItsVersion() {
        Path versioned = file();
        SqliteDatabase.open(versioned, List.of(Schema.V1)).close();
        Migration broken = new Migration(2, "broken", List.of("CREATE TABLE half_done (x INTEGER)", "NOT SQL AT ALL"));

        UnusableDatabaseException refused = assertThrows(UnusableDatabaseException.class,
                () -> SqliteDatabase.open(versioned, List.of(Schema.V1, broken)));

        assertTrue(refused.getMessage().contains("cannot be brought up to schema version 2"), refused.getMessage());
        try (SqliteDatabase database = SqliteDatabase.open(versioned, List.of(Schema.V1));
             Handle handle = database.jdbi().open()) {
            assertEquals(1, database.schemaVersion());
            assertEquals(0, handle.createQuery("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'")
                    .mapTo(Integer.class).one());
        }
    }
}
