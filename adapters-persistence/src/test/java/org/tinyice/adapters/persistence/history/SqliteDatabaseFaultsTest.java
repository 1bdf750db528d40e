package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.SongPlay;
import org.tinyice.application.port.out.StorageUnavailableException;

/** What the history adapters do when the file system or another process gets in the way. */
class SqliteDatabaseFaultsTest {

    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");

    @TempDir
    Path temp;
    private SqliteDatabase database;
    private JdbiSongHistory songs;

    @BeforeEach
    void open() {
        database = SqliteDatabase.open(temp.resolve("data"));
        songs = new JdbiSongHistory(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aWriteLockHeldByAnotherProcessMakesWritesUnavailableUntilItIsReleased() throws Exception {
        songs.record(SongPlay.of("/live", "before", NOON, 1));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file())) {
            try (Statement statement = other.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
            }
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> songs.record(SongPlay.of("/live", "while locked", NOON.plusSeconds(1), 1)));
            assertTrue(e.getMessage().contains("SQLITE_BUSY"), e.getMessage());
            try (Statement statement = other.createStatement()) {
                statement.execute("ROLLBACK");
            }
        }
        songs.record(SongPlay.of("/live", "after", NOON.plusSeconds(2), 1));

        assertEquals(List.of("after", "before"), titles());
    }

    @Test
    void aDeletedDataDirectoryIsMadeAgainWithANewDatabase() throws Exception {
        songs.record(SongPlay.of("/live", "old", NOON, 1));
        deleteTree(temp.resolve("data"));

        songs.record(SongPlay.of("/live", "new", NOON.plusSeconds(1), 1));

        assertTrue(Files.size(database.file()) > 0, "the file is there again");
        assertEquals(List.of("new"), titles(), "written into the new file, not the deleted one");
        try (Connection direct = DriverManager.getConnection("jdbc:sqlite:" + database.file());
             Statement statement = direct.createStatement();
             var rows = statement.executeQuery("SELECT title FROM song_plays")) {
            assertTrue(rows.next());
            assertEquals("new", rows.getString(1));
        }
    }

    @Test
    void aDataDirectoryThatCannotBeMadeAgainMakesWritesUnavailable() throws Exception {
        deleteTree(temp.resolve("data"));
        Files.writeString(temp.resolve("data"), "a file where the directory was");

        assertThrows(StorageUnavailableException.class,
                () -> songs.record(SongPlay.of("/live", "lost?", NOON, 1)));

        Files.delete(temp.resolve("data"));
        songs.record(SongPlay.of("/live", "kept", NOON, 1));
        assertEquals(List.of("kept"), titles());
    }

    private List<String> titles() {
        return songs.recent("/live", 10, Optional.empty()).stream().map(SongPlay::title).toList();
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
