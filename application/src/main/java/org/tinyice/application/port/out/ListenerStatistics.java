package org.tinyice.application.port.out;

import java.time.Instant;
import java.util.List;

/**
 * Listener counts and traffic per mount over time: a sample per minute, rolled up into a sample per hour
 * once old enough that minutes no longer matter.
 */
public interface ListenerStatistics {

    /**
     * Keeps {@code sample}. A second sample for the same mount and minute (a restart inside the minute)
     * is merged into the first: its listener count, the higher peak, the sums of the bytes.
     */
    void record(MinuteSample sample);

    /**
     * The samples of {@code mount} that start in {@code [from, to)}, in time order: minutes where they
     * are still kept, hours where they were rolled up.
     */
    List<ListenerSample> samples(String mount, Instant from, Instant to);

    /**
     * Rolls the minute samples of every mount that lie in whole hours before {@code olderThan} into one
     * sample per mount and hour (see {@link ListenerSample} for how they combine). Only whole hours: the
     * minutes of the hour {@code olderThan} falls in stay minutes until a later roll-up, so no hour is
     * ever half minutes, half rolled up. Rolling into an hour that already has a sample merges into it.
     *
     * @return how many minute samples were rolled up
     */
    int rollUp(Instant olderThan);

    /** Forgets every sample, minute or hour, of every mount that starts before {@code olderThan}; returns how many. */
    int prune(Instant olderThan);
}
