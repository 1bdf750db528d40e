package org.tinyice.adapters.persistence.history;

import java.util.List;

/**
 * The history schema, as the migrations that build it. Never edit a migration that has shipped: a
 * database out there is already at its version. Add the next one instead.
 *
 * <p>Times are milliseconds since the epoch (UTC) in INTEGER columns, durations milliseconds; tables
 * are STRICT so a wrong type is an error, not a silent conversion.
 */
final class Schema {

    /** Marks the file as TinyIce's ("TICE"), so another program's database is never migrated. */
    static final int APPLICATION_ID = 0x54494345;

    static final Migration V1 = new Migration(1, "song plays and per-minute listener samples", List.of(
            "PRAGMA application_id = " + APPLICATION_ID,
            """
            CREATE TABLE song_plays (
                id         INTEGER PRIMARY KEY,
                mount      TEXT    NOT NULL,
                title      TEXT    NOT NULL,
                artist     TEXT,
                song       TEXT,
                started_ms INTEGER NOT NULL,
                listeners  INTEGER NOT NULL
            ) STRICT""",
            "CREATE INDEX song_plays_by_mount_and_start ON song_plays (mount, started_ms)",
            """
            CREATE TABLE listener_minutes (
                mount          TEXT    NOT NULL,
                minute_ms      INTEGER NOT NULL,
                listeners      INTEGER NOT NULL,
                peak_listeners INTEGER NOT NULL,
                bytes_in       INTEGER NOT NULL,
                bytes_out      INTEGER NOT NULL,
                PRIMARY KEY (mount, minute_ms)
            ) WITHOUT ROWID, STRICT"""));

    static final Migration V2 = new Migration(2, "hourly listener roll-ups and listener sessions", List.of(
            // listener_minutes is the sum of the minutes' listener counts, so a later roll-up into the
            // same hour can merge exactly; the mean is worked out when read
            """
            CREATE TABLE listener_hours (
                mount            TEXT    NOT NULL,
                hour_ms          INTEGER NOT NULL,
                minutes          INTEGER NOT NULL,
                listener_minutes INTEGER NOT NULL,
                peak_listeners   INTEGER NOT NULL,
                bytes_in         INTEGER NOT NULL,
                bytes_out        INTEGER NOT NULL,
                PRIMARY KEY (mount, hour_ms)
            ) WITHOUT ROWID, STRICT""",
            """
            CREATE TABLE listener_sessions (
                id           INTEGER PRIMARY KEY,
                mount        TEXT    NOT NULL,
                connected_ms INTEGER NOT NULL,
                duration_ms  INTEGER NOT NULL,
                bytes        INTEGER NOT NULL,
                user_agent   TEXT    NOT NULL,
                address      TEXT
            ) STRICT""",
            "CREATE INDEX listener_sessions_by_mount_and_connection ON listener_sessions (mount, connected_ms)"));

    /** Rows written before it (and by an older process during a take-over) are Icecast listeners' visits. */
    static final Migration V3 = new Migration(3, "how each listener session listened (icecast or hls)", List.of(
            "ALTER TABLE listener_sessions ADD COLUMN protocol TEXT NOT NULL DEFAULT 'icecast'"
                    + " CHECK (protocol IN ('icecast', 'hls'))"));

    /** Every migration, in order; the last one's version is the version this code writes. */
    static final List<Migration> MIGRATIONS = List.of(V1, V2, V3);

    private Schema() {
    }
}
