package org.tinyice.adapters.persistence.memory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.ListenerSample.Resolution;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.MinuteSample;

/**
 * Listener statistics kept in memory only, for tests and for running without a data directory.
 * Thread-safe. Hours keep the sum of their minutes' listener counts, as the SQLite store does, so later
 * roll-ups into the same hour merge exactly.
 */
public final class InMemoryListenerStatistics implements ListenerStatistics {

    private record Key(String mount, Instant start) {
    }

    /** An hour so far. */
    private record Hour(int minutes, long listenerMinutes, int peakListeners, long bytesIn, long bytesOut) {

        Hour plus(Hour other) {
            return new Hour(minutes + other.minutes, listenerMinutes + other.listenerMinutes,
                    Math.max(peakListeners, other.peakListeners), bytesIn + other.bytesIn, bytesOut + other.bytesOut);
        }

        ListenerSample sample(Key key) {
            return new ListenerSample(key.mount(), key.start(), Resolution.HOUR, minutes,
                    ListenerSample.meanListeners(listenerMinutes, minutes), peakListeners, bytesIn, bytesOut);
        }
    }

    // at the same start an hour comes before a minute, as in the SQLite store
    private static final Comparator<ListenerSample> TIME_ORDER = Comparator.comparing(ListenerSample::start)
            .thenComparing(s -> s.resolution() == Resolution.HOUR ? 0 : 1);

    private final Map<Key, MinuteSample> minutes = new HashMap<>();
    private final Map<Key, Hour> hours = new HashMap<>();

    @Override
    public synchronized void record(MinuteSample sample) {
        Objects.requireNonNull(sample, "sample");
        minutes.merge(new Key(sample.mount(), sample.minute()), sample, (earlier, later) -> new MinuteSample(
                later.mount(), later.minute(), later.listeners(), Math.max(earlier.peakListeners(), later.peakListeners()),
                earlier.bytesIn() + later.bytesIn(), earlier.bytesOut() + later.bytesOut()));
    }

    @Override
    public synchronized List<ListenerSample> samples(String mount, Instant from, Instant to) {
        List<ListenerSample> found = new ArrayList<>();
        minutes.forEach((key, minute) -> {
            if (key.mount().equals(mount) && inRange(key.start(), from, to)) {
                found.add(minute.asListenerSample());
            }
        });
        hours.forEach((key, hour) -> {
            if (key.mount().equals(mount) && inRange(key.start(), from, to)) {
                found.add(hour.sample(key));
            }
        });
        found.sort(TIME_ORDER);
        return found;
    }

    @Override
    public synchronized int rollUp(Instant olderThan) {
        // whole hours only: the hour the cutoff falls in stays minutes
        Instant cutoff = olderThan.truncatedTo(ChronoUnit.HOURS);
        int rolledUp = 0;
        for (Iterator<Map.Entry<Key, MinuteSample>> it = minutes.entrySet().iterator(); it.hasNext(); ) {
            MinuteSample minute = it.next().getValue();
            if (minute.minute().isBefore(cutoff)) {
                Key hour = new Key(minute.mount(), minute.minute().truncatedTo(ChronoUnit.HOURS));
                hours.merge(hour, new Hour(1, minute.listeners(), minute.peakListeners(), minute.bytesIn(),
                        minute.bytesOut()), Hour::plus);
                it.remove();
                rolledUp++;
            }
        }
        return rolledUp;
    }

    @Override
    public synchronized int prune(Instant olderThan) {
        int before = minutes.size() + hours.size();
        minutes.keySet().removeIf(key -> key.start().isBefore(olderThan));
        hours.keySet().removeIf(key -> key.start().isBefore(olderThan));
        return before - minutes.size() - hours.size();
    }

    private static boolean inRange(Instant start, Instant from, Instant to) {
        return !start.isBefore(from) && start.isBefore(to);
    }
}
