package org.tinyice.adapters.persistence.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.ListenerSample.Resolution;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.MinuteSample;

/**
 * {@link ListenerStatistics} in the {@code listener_minutes} and {@code listener_hours} tables of the
 * {@link SqliteDatabase}. An hour keeps the sum of its minutes' listener counts, not their mean, so that
 * rolling more minutes into it later merges exactly.
 */
public final class JdbiListenerStatistics implements ListenerStatistics {

    private static final long HOUR_MS = 3_600_000;

    private static final String RECORD = """
            INSERT INTO listener_minutes (mount, minute_ms, listeners, peak_listeners, bytes_in, bytes_out)
            VALUES (:mount, :minuteMs, :listeners, :peakListeners, :bytesIn, :bytesOut)
            ON CONFLICT (mount, minute_ms) DO UPDATE SET
                listeners = excluded.listeners,
                peak_listeners = max(peak_listeners, excluded.peak_listeners),
                bytes_in = bytes_in + excluded.bytes_in,
                bytes_out = bytes_out + excluded.bytes_out""";
    // at the same start an hour sorts before a minute ('HOUR' < 'MINUTE'), as in the in-memory store
    private static final String SAMPLES = """
            SELECT 'MINUTE' AS resolution, minute_ms AS start_ms, 1 AS minutes, listeners AS listener_minutes,
                   peak_listeners, bytes_in, bytes_out
            FROM listener_minutes WHERE mount = :mount AND minute_ms >= :fromMs AND minute_ms < :toMs
            UNION ALL
            SELECT 'HOUR', hour_ms, minutes, listener_minutes, peak_listeners, bytes_in, bytes_out
            FROM listener_hours WHERE mount = :mount AND hour_ms >= :fromMs AND hour_ms < :toMs
            ORDER BY start_ms, resolution""";
    private static final String ROLL_UP_INTO_HOURS = """
            INSERT INTO listener_hours (mount, hour_ms, minutes, listener_minutes, peak_listeners, bytes_in, bytes_out)
            SELECT mount, minute_ms - minute_ms % :hourMs, count(*), sum(listeners), max(peak_listeners),
                   sum(bytes_in), sum(bytes_out)
            FROM listener_minutes WHERE minute_ms < :cutoffMs
            GROUP BY mount, minute_ms - minute_ms % :hourMs
            ON CONFLICT (mount, hour_ms) DO UPDATE SET
                minutes = minutes + excluded.minutes,
                listener_minutes = listener_minutes + excluded.listener_minutes,
                peak_listeners = max(peak_listeners, excluded.peak_listeners),
                bytes_in = bytes_in + excluded.bytes_in,
                bytes_out = bytes_out + excluded.bytes_out""";
    private static final String DELETE_MINUTES = "DELETE FROM listener_minutes WHERE minute_ms < :cutoffMs";
    private static final String DELETE_HOURS = "DELETE FROM listener_hours WHERE hour_ms < :cutoffMs";

    private final SqliteDatabase database;

    public JdbiListenerStatistics(SqliteDatabase database) {
        this.database = database;
    }

    @Override
    public void record(MinuteSample sample) {
        database.withHandle(handle -> handle.createUpdate(RECORD)
                .bind("mount", sample.mount())
                .bind("minuteMs", sample.minute().toEpochMilli())
                .bind("listeners", sample.listeners())
                .bind("peakListeners", sample.peakListeners())
                .bind("bytesIn", sample.bytesIn())
                .bind("bytesOut", sample.bytesOut())
                .execute());
    }

    @Override
    public List<ListenerSample> samples(String mount, Instant from, Instant to) {
        return database.withHandle(handle -> handle.createQuery(SAMPLES)
                .bind("mount", mount)
                .bind("fromMs", from.toEpochMilli())
                .bind("toMs", to.toEpochMilli())
                .map((row, context) -> sample(mount, row))
                .list());
    }

    @Override
    public int rollUp(Instant olderThan) {
        // whole hours only: the hour the cutoff falls in stays minutes
        long cutoffMs = olderThan.truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        return database.inTransaction(handle -> {
            handle.createUpdate(ROLL_UP_INTO_HOURS).bind("hourMs", HOUR_MS).bind("cutoffMs", cutoffMs).execute();
            return handle.createUpdate(DELETE_MINUTES).bind("cutoffMs", cutoffMs).execute();
        });
    }

    @Override
    public int prune(Instant olderThan) {
        long cutoffMs = olderThan.toEpochMilli();
        return database.inTransaction(handle ->
                handle.createUpdate(DELETE_MINUTES).bind("cutoffMs", cutoffMs).execute()
                        + handle.createUpdate(DELETE_HOURS).bind("cutoffMs", cutoffMs).execute());
    }

    private static ListenerSample sample(String mount, ResultSet row) throws SQLException {
        int minutes = row.getInt("minutes");
        return new ListenerSample(mount, Instant.ofEpochMilli(row.getLong("start_ms")),
                Resolution.valueOf(row.getString("resolution")), minutes,
                ListenerSample.meanListeners(row.getLong("listener_minutes"), minutes),
                row.getInt("peak_listeners"), row.getLong("bytes_in"), row.getLong("bytes_out"));
    }
}
