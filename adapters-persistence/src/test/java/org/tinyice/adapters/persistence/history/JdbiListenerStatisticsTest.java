package org.tinyice.adapters.persistence.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.ListenerStatisticsContract;
import org.tinyice.application.port.out.MinuteSample;

class JdbiListenerStatisticsTest extends ListenerStatisticsContract {

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
    protected ListenerStatistics newStatistics() {
        return new JdbiListenerStatistics(databases.fresh());
    }

    @Test
    void aReopenedDatabaseHasTheSamplesOfTheLastOne() {
        Path dataDirectory = temp.resolve("kept");
        SqliteDatabase first = SqliteDatabase.open(dataDirectory);
        MinuteSample sample = minute("/live", TEN, 4, 5, 6, 7);
        new JdbiListenerStatistics(first).record(sample);
        first.close();

        ListenerStatistics reopened = new JdbiListenerStatistics(databases.open(dataDirectory));

        assertEquals(List.of(sample.asListenerSample()), reopened.samples("/live", TEN, TEN.plusSeconds(60)));
    }
}
