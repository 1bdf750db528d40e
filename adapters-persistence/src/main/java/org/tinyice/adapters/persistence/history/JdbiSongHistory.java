package org.tinyice.adapters.persistence.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;

/** {@link SongHistory} in the {@code song_plays} table of the {@link SqliteDatabase}. */
public final class JdbiSongHistory implements SongHistory {

    private static final String INSERT = """
            INSERT INTO song_plays (mount, title, artist, song, started_ms, listeners)
            VALUES (:mount, :title, :artist, :song, :startedMs, :listeners)""";
    // id breaks ties between plays with the same start: it grows with every insert
    private static final String RECENT = """
            SELECT mount, title, artist, song, started_ms, listeners FROM song_plays
            WHERE mount = :mount AND started_ms < :beforeMs
            ORDER BY started_ms DESC, id DESC
            LIMIT :limit""";
    private static final String PRUNE = "DELETE FROM song_plays WHERE started_ms < :cutoffMs";

    private final SqliteDatabase database;

    public JdbiSongHistory(SqliteDatabase database) {
        this.database = database;
    }

    @Override
    public void record(SongPlay play) {
        database.withHandle(handle -> handle.createUpdate(INSERT)
                .bind("mount", play.mount())
                .bind("title", play.title())
                .bind("artist", play.artist().orElse(null))
                .bind("song", play.song().orElse(null))
                .bind("startedMs", play.started().toEpochMilli())
                .bind("listeners", play.listenersAtStart())
                .execute());
    }

    @Override
    public List<SongPlay> recent(String mount, int limit, Optional<Instant> before) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        long beforeMs = before.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        return database.withHandle(handle -> handle.createQuery(RECENT)
                .bind("mount", mount)
                .bind("beforeMs", beforeMs)
                .bind("limit", limit)
                .map((row, context) -> songPlay(row))
                .list());
    }

    @Override
    public int prune(Instant olderThan) {
        return database.withHandle(handle -> handle.createUpdate(PRUNE)
                .bind("cutoffMs", olderThan.toEpochMilli())
                .execute());
    }

    private static SongPlay songPlay(ResultSet row) throws SQLException {
        return new SongPlay(row.getString("mount"), row.getString("title"),
                Optional.ofNullable(row.getString("artist")), Optional.ofNullable(row.getString("song")),
                Instant.ofEpochMilli(row.getLong("started_ms")), row.getInt("listeners"));
    }
}
