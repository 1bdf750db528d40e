package org.tinyice.adapters.persistence.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.ListenerSessions;

/** {@link ListenerSessions} in the {@code listener_sessions} table of the {@link SqliteDatabase}. */
public final class JdbiListenerSessions implements ListenerSessions {

    private static final String INSERT = """
            INSERT INTO listener_sessions (mount, connected_ms, duration_ms, bytes, user_agent, address, protocol)
            VALUES (:mount, :connectedMs, :durationMs, :bytes, :userAgent, :address, :protocol)""";
    private static final String BETWEEN = """
            SELECT mount, connected_ms, duration_ms, bytes, user_agent, address, protocol FROM listener_sessions
            WHERE mount = :mount AND connected_ms >= :fromMs AND connected_ms < :toMs
            ORDER BY connected_ms, id""";
    private static final String PRUNE = "DELETE FROM listener_sessions WHERE connected_ms < :cutoffMs";

    private final SqliteDatabase database;

    public JdbiListenerSessions(SqliteDatabase database) {
        this.database = database;
    }

    @Override
    public void record(ListenerSession session) {
        recordAll(List.of(session));
    }

    /**
     * One transaction and one prepared statement for all of them: 8,000 visits ending at once cost the
     * history writer 0.7 s of CPU one insert at a time (a commit and JDBI's statement set-up each), which a
     * machine already busy with their streams could not spare.
     */
    @Override
    public void recordAll(List<ListenerSession> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        database.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(INSERT);
            for (ListenerSession session : sessions) {
                batch.bind("mount", session.mount())
                        .bind("connectedMs", session.connected().toEpochMilli())
                        .bind("durationMs", session.duration().toMillis())
                        .bind("bytes", session.bytes())
                        .bind("userAgent", session.userAgent())
                        .bind("address", session.address().orElse(null))
                        .bind("protocol", session.protocol().name().toLowerCase(Locale.ROOT))
                        .add();
            }
            return batch.execute();
        });
    }

    @Override
    public List<ListenerSession> sessions(String mount, Instant from, Instant to) {
        return database.withHandle(handle -> handle.createQuery(BETWEEN)
                .bind("mount", mount)
                .bind("fromMs", from.toEpochMilli())
                .bind("toMs", to.toEpochMilli())
                .map((row, context) -> session(row))
                .list());
    }

    @Override
    public int prune(Instant olderThan) {
        return database.withHandle(handle -> handle.createUpdate(PRUNE)
                .bind("cutoffMs", olderThan.toEpochMilli())
                .execute());
    }

    private static ListenerSession session(ResultSet row) throws SQLException {
        return new ListenerSession(row.getString("mount"), Instant.ofEpochMilli(row.getLong("connected_ms")),
                Duration.ofMillis(row.getLong("duration_ms")), row.getLong("bytes"), row.getString("user_agent"),
                Optional.ofNullable(row.getString("address")),
                ListenerSession.Protocol.valueOf(row.getString("protocol").toUpperCase(Locale.ROOT)));
    }
}
