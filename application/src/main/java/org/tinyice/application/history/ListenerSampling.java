package org.tinyice.application.history;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.tinyice.application.port.out.MinuteSample;

/**
 * The job a scheduler runs every few seconds: looks at the mounts, feeds the {@link MinuteSampler}, and
 * hands each finished minute to the {@link HistoryRecorder}. Call {@link #finish()} once at shutdown,
 * before closing the recorder, so the minute in progress is kept too.
 */
public final class ListenerSampling implements Runnable {

    private final Supplier<Map<String, MountTraffic>> traffic;
    private final Supplier<Instant> clock;
    private final HistoryRecorder recorder;
    private final MinuteSampler sampler = new MinuteSampler();

    /**
     * @param traffic a look at every live mount, by mount path
     * @param clock the time now
     */
    public ListenerSampling(Supplier<Map<String, MountTraffic>> traffic, Supplier<Instant> clock,
                            HistoryRecorder recorder) {
        this.traffic = Objects.requireNonNull(traffic, "traffic");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /** Takes one look; synchronized because a scheduler may overlap a run with {@link #finish()}. */
    @Override
    public synchronized void run() {
        for (MinuteSample sample : sampler.observe(clock.get(), traffic.get())) {
            recorder.offer(new HistoryEvent.MinuteEnded(sample));
        }
    }

    /** Hands over the minutes in progress. */
    public synchronized void finish() {
        for (MinuteSample sample : sampler.finish()) {
            recorder.offer(new HistoryEvent.MinuteEnded(sample));
        }
    }
}
