package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongHistoryContract;
import org.tinyice.application.port.out.SongPlay;

class JdbiSongHistoryTest extends SongHistoryContract {

    @TempDir
    Path temp;
    private OpenedDatabases databases;

    @BeforeEach
    void prepare() {
        databases = new OpenedDatabases(temp);
    }

    @AfterEach
    void closeDatabases() {
        databases.close();
    }

    @Override
    protected SongHistory newHistory() {
        return new JdbiSongHistory(databases.fresh());
    }

    @Test
    void aReopenedDatabaseHasThePlaysOfTheLastOne() {
        Path dataDirectory = temp.resolve("kept");
        SqliteDatabase first = SqliteDatabase.open(dataDirectory);
        SongPlay play = SongPlay.of("/live", "Artist - Song", NOON, 3);
        new JdbiSongHistory(first).record(play);
        first.close();

        SongHistory reopened = new JdbiSongHistory(databases.open(dataDirectory));

        assertEquals(List.of(play), reopened.recent("/live", 10, Optional.empty()));
    }
}
