package org.tinyice.application.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.ListenerSessions;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.MinuteSample;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;

/**
 * Hand-written doubles of the three history ports that remember each call; the application's tests
 * cannot see the adapters' in-memory stores. Each write passes {@link #beforeWrite()} first, which a
 * test overrides to make the store slow or failing.
 */
class FakeHistoryPorts {

    final List<SongPlay> plays = new CopyOnWriteArrayList<>();
    final List<MinuteSample> minutes = new CopyOnWriteArrayList<>();
    final List<ListenerSession> sessions = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    /** Runs before every write; throw to fail it, block to stall the writer. */
    void beforeWrite() {
    }

    List<String> titles() {
        return plays.stream().map(SongPlay::title).toList();
    }

    final SongHistory songHistory = new SongHistory() {
        @Override
        public void record(SongPlay play) {
            beforeWrite();
            plays.add(play);
        }

        @Override
        public List<SongPlay> recent(String mount, int limit, Optional<Instant> before) {
            List<SongPlay> newestFirst = new ArrayList<>(plays.stream().filter(p -> p.mount().equals(mount)).toList());
            newestFirst.sort(Comparator.comparing(SongPlay::started).reversed());
            return newestFirst.stream().limit(limit).toList();
        }

        @Override
        public int prune(Instant olderThan) {
            calls.add("songs.prune " + olderThan);
            return 1;
        }
    };

    final ListenerStatistics listenerStatistics = new ListenerStatistics() {
        @Override
        public void record(MinuteSample sample) {
            beforeWrite();
            minutes.add(sample);
        }

        @Override
        public List<ListenerSample> samples(String mount, Instant from, Instant to) {
            return minutes.stream().map(MinuteSample::asListenerSample).toList();
        }

        @Override
        public int rollUp(Instant olderThan) {
            calls.add("statistics.rollUp " + olderThan);
            return 2;
        }

        @Override
        public int prune(Instant olderThan) {
            calls.add("statistics.prune " + olderThan);
            return 3;
        }
    };

    final ListenerSessions listenerSessions = new ListenerSessions() {
        @Override
        public void record(ListenerSession session) {
            recordAll(List.of(session));
        }

        @Override
        public void recordAll(List<ListenerSession> visits) {
            beforeWrite();
            calls.add("sessions.recordAll " + visits.size());
            sessions.addAll(visits);
        }

        @Override
        public List<ListenerSession> sessions(String mount, Instant from, Instant to) {
            return List.copyOf(sessions);
        }

        @Override
        public int prune(Instant olderThan) {
            calls.add("sessions.prune " + olderThan);
            return 4;
        }
    };
}
