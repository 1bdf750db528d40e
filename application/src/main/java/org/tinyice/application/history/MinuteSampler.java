package org.tinyice.application.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tinyice.application.port.out.MinuteSample;

/**
 * Turns looks at the mounts, taken every few seconds, into one {@link MinuteSample} per mount and minute.
 * A pure calculation: the caller passes the time of each look, so tests need no clock and no sleep.
 *
 * <ul>
 *   <li>A minute's sample comes out of the first look in a later minute (or {@link #finish()}).
 *   <li>Listeners: the count at the last look in the minute; peak: the highest count at any look in it
 *       (a peak between two looks is not seen).
 *   <li>Bytes: the growth of the counters since the previous look, counted in the minute of the look.
 *       A mount's first look counts its totals whole (they count from the mount's start), and so does a
 *       look whose counter went down (the source reconnected and its counters started again).
 *   <li>A mount missing from a look is kept until its minute ends, then emitted and forgotten; minutes
 *       without any look (the server was busy or stopped) have no sample.
 *   <li>A look dated before the minute in progress (the clock stepped back) counts in the minute in progress.
 * </ul>
 *
 * <p>Not thread-safe: meant for the one scheduler thread that takes the looks.
 */
public final class MinuteSampler {

    private final Map<String, MountMinute> inProgress = new HashMap<>();

    /**
     * Takes the look at {@code traffic} made at {@code at}.
     *
     * @return the samples of the minutes this look ended, ordered by minute, then mount
     */
    public List<MinuteSample> observe(Instant at, Map<String, MountTraffic> traffic) {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        List<MinuteSample> ended = new ArrayList<>();
        for (Iterator<Map.Entry<String, MountMinute>> it = inProgress.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, MountMinute> entry = it.next();
            MountMinute current = entry.getValue();
            if (current.minute.isBefore(minute)) {
                ended.add(current.sample(entry.getKey()));
                if (traffic.containsKey(entry.getKey())) {
                    current.startMinute(minute);
                } else {
                    it.remove();
                }
            }
        }
        traffic.forEach((mount, look) -> inProgress.computeIfAbsent(mount, m -> new MountMinute(minute)).add(look));
        ended.sort(ORDER);
        return ended;
    }

    /** Ends every minute in progress (at shutdown) and returns their samples; the sampler then starts afresh. */
    public List<MinuteSample> finish() {
        List<MinuteSample> ended = new ArrayList<>();
        inProgress.forEach((mount, current) -> ended.add(current.sample(mount)));
        inProgress.clear();
        ended.sort(ORDER);
        return ended;
    }

    private static final Comparator<MinuteSample> ORDER =
            Comparator.comparing(MinuteSample::minute).thenComparing(MinuteSample::mount);

    /** One mount's minute so far, and its counters at the last look. */
    private static final class MountMinute {
        private Instant minute;
        private int listeners;
        private int peak;
        private long bytesIn;
        private long bytesOut;
        private long lastBytesInTotal;
        private long lastBytesOutTotal;

        MountMinute(Instant minute) {
            this.minute = minute;
        }

        void startMinute(Instant next) {
            minute = next;
            listeners = 0;
            peak = 0;
            bytesIn = 0;
            bytesOut = 0;
        }

        void add(MountTraffic look) {
            listeners = look.listeners();
            peak = Math.max(peak, look.listeners());
            bytesIn += growth(lastBytesInTotal, look.bytesInTotal());
            bytesOut += growth(lastBytesOutTotal, look.bytesOutTotal());
            lastBytesInTotal = look.bytesInTotal();
            lastBytesOutTotal = look.bytesOutTotal();
        }

        private static long growth(long before, long now) {
            return now >= before ? now - before : now;
        }

        MinuteSample sample(String mount) {
            return new MinuteSample(mount, minute, listeners, peak, bytesIn, bytesOut);
        }
    }
}
