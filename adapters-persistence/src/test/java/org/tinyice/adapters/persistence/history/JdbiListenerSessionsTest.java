package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerSessionsContract;

class JdbiListenerSessionsTest extends ListenerSessionsContract {

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
    protected ListenerSessions newSessions() {
        return new JdbiListenerSessions(databases.fresh());
    }

    @Test
    void aReopenedDatabaseHasTheSessionsOfTheLastOne() {
        Path dataDirectory = temp.resolve("kept");
        SqliteDatabase first = SqliteDatabase.open(dataDirectory);
        ListenerSession session = session("/live", NOON, "VLC");
        new JdbiListenerSessions(first).record(session);
        first.close();

        ListenerSessions reopened = new JdbiListenerSessions(databases.open(dataDirectory));

        assertEquals(List.of(session), reopened.sessions("/live", NOON, NOON.plusSeconds(1)));
    }
}
