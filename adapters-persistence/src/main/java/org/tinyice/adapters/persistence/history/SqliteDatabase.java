package org.tinyice.adapters.persistence.history;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.tinyice.application.port.out.StorageUnavailableException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The history database: one SQLite file, {@value #FILE_NAME}, in the data directory, shared by the JDBI
 * history adapters.
 *
 * <p>{@link #open} first looks at an existing file without writing to it, and refuses it (with an
 * {@link UnusableDatabaseException} naming the file and the problem) when it is not an SQLite database,
 * is damaged, belongs to another program, or was written by a newer TinyIce whose schema this code does
 * not know. Only then does it open the file for writing and bring an older schema up to date, one
 * migration per transaction (see {@link Schema}).
 *
 * <p>Settings of every connection, and why:
 * <ul>
 *   <li>{@code journal_mode=WAL}: readers (status pages) never wait for the writer, nor it for them.
 *   <li>{@code synchronous=NORMAL}: a commit is written to the WAL file before it returns but not
 *       fsynced; the WAL is fsynced at each checkpoint. That survives the process being killed (kill -9,
 *       an OOM kill, a crash): the written pages are in the operating system's cache, which outlives the
 *       process. A power cut or kernel crash can lose the last commits before a checkpoint, never corrupt
 *       the file. {@code FULL} would add an fsync to every write, on the SD cards small stations run on,
 *       for data that is statistics.
 *   <li>{@code busy_timeout}: the recorder's writer and the retention job write from different threads;
 *       SQLite has one writer at a time, and the other waits up to this long instead of failing.
 *   <li>Transactions begin {@code IMMEDIATE}, taking the write lock at the start, so a transaction that
 *       reads before it writes waits for the lock (within the busy timeout) instead of failing halfway.
 *   <li>{@code foreign_keys=ON}: off by default in SQLite; on, so any reference a later migration adds is
 *       enforced.
 * </ul>
 *
 * <p>The adapters' calls go through {@link #withHandle} and {@link #inTransaction}, which turn the failures
 * that come from outside and may pass (a full disk, another process's lock, a read-only or vanished file)
 * into {@link StorageUnavailableException}, so that the recorder keeps its events and tries again. Before
 * each call they look whether the file is still there: an open SQLite connection goes on writing into a
 * deleted file without complaint, and history written there would be lost without a word. When it is gone
 * (the data directory was deleted), the connections are dropped and a new, empty database is made in its
 * place, or, while that cannot be done, the call fails as unavailable.
 *
 * <p>JDBI calls take a connection from {@link ReusedConnections}, which keeps a few idle ones. One more
 * connection stays open for the life of this object whatever the others do: when the last connection to
 * a WAL database closes, SQLite checkpoints and deletes the WAL, which must not happen after each write.
 */
public final class SqliteDatabase implements AutoCloseable {

    public static final String FILE_NAME = "tinyice.db";

    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** How many of quick_check's complaints to put in a message. */
    private static final int PROBLEMS_SHOWN = 3;

    private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());

    private final Path file;
    private final SQLiteDataSource dataSource;
    private final List<Migration> migrations;
    private final Jdbi jdbi;
    private final int schemaVersion;
    private final ReusedConnections connections;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guarded by {@code this}. */
    private Connection keeper;

    private SqliteDatabase(Path file, SQLiteDataSource dataSource, List<Migration> migrations, Connection keeper,
                           ReusedConnections connections, Jdbi jdbi, int schemaVersion) {
        this.file = file;
        this.dataSource = dataSource;
        this.migrations = migrations;
        this.keeper = keeper;
        this.connections = connections;
        this.jdbi = jdbi;
        this.schemaVersion = schemaVersion;
    }

    /**
     * Opens {@code <dataDirectory>/tinyice.db}, creating the directory and the file when missing, and
     * brings its schema up to date.
     *
     * @throws UnusableDatabaseException when the file cannot be used; it is then left exactly as it was
     */
    public static SqliteDatabase open(Path dataDirectory) {
        return open(dataDirectory.resolve(FILE_NAME), Schema.MIGRATIONS);
    }

    /** Opens {@code file} with these migrations (tests use it to make databases of older versions). */
    static SqliteDatabase open(Path file, List<Migration> migrations) {
        Path absolute = file.toAbsolutePath();
        int latest = migrations.getLast().version();
        createDirectoryFor(absolute);
        inspectWithoutWriting(absolute, latest);

        SQLiteDataSource dataSource = new SQLiteDataSource(writingConfig());
        dataSource.setUrl("jdbc:sqlite:" + absolute);
        Connection keeper;
        try {
            keeper = dataSource.getConnection();
        } catch (SQLException e) {
            throw new UnusableDatabaseException(absolute, "cannot be opened: " + e.getMessage(), e);
        }
        ReusedConnections connections = new ReusedConnections(absolute, dataSource);
        Jdbi jdbi = Jdbi.create(connections);
        try {
            int version = migrate(absolute, jdbi, migrations);
            return new SqliteDatabase(absolute, dataSource, migrations, keeper, connections, jdbi, version);
        } catch (RuntimeException e) {
            connections.close();
            closeQuietly(keeper);
            throw e;
        }
    }

    /** The file, for messages and operators. */
    public Path file() {
        return file;
    }

    /** The schema version the file is at (the newest this code knows, once open). */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** For tests of this package that look at the file directly. */
    Jdbi jdbi() {
        return jdbi;
    }

    /** For the adapters of this package: one call on a connection, outside failures made unavailable. */
    <T> T withHandle(HandleCallback<T, RuntimeException> work) {
        ensureFile();
        try {
            return jdbi.withHandle(work);
        } catch (JdbiException e) {
            throw unavailableOrAsIs(e);
        }
    }

    /** {@link #withHandle} in one transaction. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        ensureFile();
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            throw unavailableOrAsIs(e);
        }
    }

    /**
     * A failure the environment causes and may end (the disk is full, another process holds the lock, the
     * file cannot be opened or written) as {@link StorageUnavailableException}; any other as it is.
     */
    private RuntimeException unavailableOrAsIs(JdbiException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite) {
                String code = sqlite.getResultCode().name();
                for (String passing : PASSING_CODES) {
                    if (code.startsWith(passing)) {
                        return new StorageUnavailableException(file + ": " + plain(sqlite), e);
                    }
                }
                return e;
            }
        }
        return e;
    }

    /** SQLite's result codes (and their extended codes) for faults outside the program that may pass. */
    private static final List<String> PASSING_CODES = List.of("SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED",
            "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PROTOCOL");

    private static String plain(SQLiteException e) {
        String message = e.getMessage();
        return message == null ? e.getResultCode().name() : message;
    }

    private void ensureFile() {
        if (closed.get() || Files.exists(file)) {
            return;
        }
        synchronized (this) {
            if (closed.get() || Files.exists(file)) {
                return;
            }
            connections.discardAll();
            closeQuietly(keeper);
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new StorageUnavailableException(file + " is gone and its directory cannot be made again ("
                        + e + ")", e);
            }
            try {
                keeper = dataSource.getConnection();
            } catch (SQLException e) {
                throw new StorageUnavailableException(file + " is gone and cannot be made again: " + e.getMessage(), e);
            }
            try {
                migrate(file, jdbi, migrations);
            } catch (UnusableDatabaseException e) {
                throw new StorageUnavailableException(e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.WARNING, file + " was gone (was the data directory deleted?); a new, empty"
                    + " history database was made in its place");
        }
    }

    /**
     * Lets SQLite tune its query plans, then closes the last connection, which checkpoints the WAL into
     * the file and removes it. Calls through the adapters fail afterwards. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connections.close();
        synchronized (this) {
            try (Statement statement = keeper.createStatement()) {
                statement.execute("PRAGMA optimize");
            } catch (SQLException e) {
                // only a tuning hint; closing matters more
            }
            closeQuietly(keeper);
        }
    }

    private static SQLiteConfig writingConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    private static void createDirectoryFor(Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UnusableDatabaseException(file, "its directory cannot be created: " + e, e);
        }
    }

    /**
     * Refuses a file that must not be written to, reading it only. Nothing to do for a missing or empty
     * file: SQLite makes a new database of it.
     *
     * <p>The connection is read-only, so the file itself cannot change; for a file in WAL mode SQLite may
     * still create the empty {@code -wal} and {@code -shm} files beside it. {@code quick_check} reads every
     * page once, which for a history of a few hundred megabytes takes a second or two at start; it is what
     * catches damage before a write could make it worse.
     */
    private static void inspectWithoutWriting(Path file, int latest) {
        if (!hasContent(file)) {
            return;
        }
        if (!startsWithSqliteHeader(file)) {
            throw new UnusableDatabaseException(file, "is not an SQLite database (it does not start with the"
                    + " SQLite header); move it away or name another data directory");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + file)) {
            List<String> problems = strings(connection, "PRAGMA quick_check");
            if (!problems.equals(List.of("ok"))) {
                throw damaged(file, String.join("; ", problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size()))),
                        null);
            }
            int applicationId = integer(connection, "PRAGMA application_id");
            int version = integer(connection, "PRAGMA user_version");
            int objects = integer(connection, "SELECT count(*) FROM sqlite_schema");
            if (applicationId != Schema.APPLICATION_ID && (applicationId != 0 || objects > 0)) {
                String evidence = applicationId != 0 ? "its application_id is " + applicationId
                        : "it has tables but not TinyIce's application_id";
                throw new UnusableDatabaseException(file, "is an SQLite database of another program (" + evidence
                        + "); move it away or name another data directory");
            }
            if (version > latest) {
                throw newerThanKnown(file, version, latest);
            }
        } catch (SQLException e) {
            throw describe(file, e);
        }
    }

    private static boolean hasContent(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWithSqliteHeader(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(SQLITE_HEADER.length), SQLITE_HEADER);
        } catch (IOException e) {
            throw new UnusableDatabaseException(file, "cannot be read: " + e, e);
        }
    }

    /** Applies the migrations the file lacks; returns the version it ends at. */
    private static int migrate(Path file, Jdbi jdbi, List<Migration> migrations) {
        int latest = migrations.getLast().version();
        try (Handle handle = jdbi.open()) {
            for (Migration migration : migrations) {
                handle.useTransaction(transaction -> {
                    // read again inside the write lock: another process may have migrated meanwhile
                    int current = userVersion(transaction);
                    if (current > latest) {
                        throw newerThanKnown(file, current, latest);
                    }
                    if (current >= migration.version()) {
                        return;
                    }
                    for (String statement : migration.statements()) {
                        transaction.execute(statement);
                    }
                    transaction.execute("PRAGMA user_version = " + migration.version());
                });
            }
            return userVersion(handle);
        } catch (JdbiException e) {
            Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
            throw new UnusableDatabaseException(file, "cannot be brought up to schema version " + latest + ": "
                    + cause.getMessage(), e);
        }
    }

    private static int userVersion(Handle handle) {
        return handle.createQuery("PRAGMA user_version").mapTo(Integer.class).one();
    }

    private static UnusableDatabaseException newerThanKnown(Path file, int version, int latest) {
        return new UnusableDatabaseException(file, "was written by a newer TinyIce (schema version " + version
                + "; this version knows up to " + latest + "). It was left untouched: run the newer TinyIce,"
                + " or move the file away to start a new history");
    }

    private static UnusableDatabaseException damaged(Path file, String detail, Throwable cause) {
        return new UnusableDatabaseException(file, "is damaged (" + detail + "). It was left untouched: restore"
                + " a backup, or move it away to start a new history", cause);
    }

    private static UnusableDatabaseException describe(Path file, SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_NOTADB) {
                return new UnusableDatabaseException(file, "is not an SQLite database (" + e.getMessage()
                        + "); move it away or name another data directory", e);
            }
            // SQLITE_CORRUPT and its extended codes (SQLITE_CORRUPT_VTAB, _SEQUENCE, _INDEX)
            if (code.name().startsWith(SQLiteErrorCode.SQLITE_CORRUPT.name())) {
                return damaged(file, e.getMessage(), e);
            }
        }
        return new UnusableDatabaseException(file, "cannot be read: " + e.getMessage(), e);
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private static int integer(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do with it
        }
    }

    /** The history database cannot be used; the message names the file and the problem. */
    public static final class UnusableDatabaseException extends RuntimeException {
        public UnusableDatabaseException(Path file, String problem) {
            super(file + ": " + problem);
        }

        public UnusableDatabaseException(Path file, String problem, Throwable cause) {
            super(file + ": " + problem, cause);
        }
    }
}
