package org.tinyice.bootstrap;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinyice.adapters.persistence.history.SqliteDatabase;
import org.tinyice.application.health.Faults;
import org.tinyice.application.history.HistoryRecorder;
import org.tinyice.application.history.HistoryRetention;
import org.tinyice.application.history.ListenerSampling;
import org.tinyice.application.history.MountTraffic;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/**
 * The history's moving parts and their order: samples every few seconds, retention every hour, and
 * at shutdown the minute in progress, then the recorder's queue, then the database.
 */
final class HistoryRuntime implements AutoCloseable {

    /** Often enough to catch a minute's peak; cheap (a look at each mount's counters). */
    private static final long SAMPLE_SECONDS = 5;
    private static final long FAULT_CHECK_SECONDS = 5;

    private final SqliteDatabase database;
    private final HistoryRecorder recorder;
    private final ListenerSampling sampling;
    private final ScheduledExecutorService scheduler;

    HistoryRuntime(SqliteDatabase database, HistoryRecorder recorder, HistoryRetention retention,
                   MountRegistry mounts, Clock clock, Faults faults) {
        this.database = database;
        this.recorder = recorder;
        this.sampling = new ListenerSampling(() -> traffic(mounts), clock::instant, recorder);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tinyice-history-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(sampling, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> enforce(retention, clock), 1, 60, TimeUnit.MINUTES);
        // faults whose cause is gone clear without waiting for the next write (an unwritable configuration
        // file would otherwise show until the next dashboard edit); this thread is idle between samples
        scheduler.scheduleWithFixedDelay(faults::recheck, FAULT_CHECK_SECONDS, FAULT_CHECK_SECONDS, TimeUnit.SECONDS);
    }

    private static Map<String, MountTraffic> traffic(MountRegistry mounts) {
        Map<String, MountTraffic> traffic = new LinkedHashMap<>();
        for (Mount mount : mounts.all()) {
            traffic.put(mount.path(), new MountTraffic(mount.listenerCount(), mount.bytesRead(), mount.bytesSent()));
        }
        return traffic;
    }

    private static void enforce(HistoryRetention retention, Clock clock) {
        try {
            retention.enforce(Instant.now(clock));
        } catch (RuntimeException e) {
            System.getLogger(HistoryRuntime.class.getName()).log(System.Logger.Level.WARNING,
                    "history retention failed; will try again in an hour", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampling.finish();
        recorder.close();
        database.close();
    }
}
