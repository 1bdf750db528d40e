package org.tinyice.adapters.persistence.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens databases in fresh directories under a test's temporary directory, and closes them all after it. */
final class OpenedDatabases implements AutoCloseable {

    private final Path root;
    private final List<SqliteDatabase> opened = new ArrayList<>();

    OpenedDatabases(Path root) {
        this.root = root;
    }

    /** A new, empty database of its own. */
    SqliteDatabase fresh() {
        return open(root.resolve("data-" + opened.size()));
    }

    /** The database in {@code dataDirectory}, closed with the others. */
    SqliteDatabase open(Path dataDirectory) {
        SqliteDatabase database = SqliteDatabase.open(dataDirectory);
        opened.add(database);
        return database;
    }

    @Override
    public void close() {
        opened.forEach(SqliteDatabase::close);
        opened.clear();
    }
}
