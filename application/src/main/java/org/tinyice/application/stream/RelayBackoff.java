package org.tinyice.application.stream;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a relay waits before it tries its upstream again: 1 s, then twice as long after every
 * failure, up to 60 s. Each wait is drawn between half and all of that ("equal jitter"), so the edges
 * of one origin that went down together do not all knock at the same instant when it comes back,
 * yet none waits much less than the schedule says. Not thread-safe: one per relay.
 */
final class RelayBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private final DoubleSupplier random;
    private long ceilingMillis = FIRST.toMillis();

    /** @param random numbers in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    RelayBackoff(DoubleSupplier random) {
        this.random = random;
    }

    /** The wait before the next attempt; the one after it will be about twice as long. */
    Duration next() {
        long ceiling = ceilingMillis;
        ceilingMillis = Math.min(MAX.toMillis(), ceilingMillis * 2);
        long half = ceiling / 2;
        return Duration.ofMillis(half + Math.round(random.getAsDouble() * (ceiling - half)));
    }

    /** The upstream delivered audio: the next failure starts again from {@link #FIRST}. */
    void reset() {
        ceilingMillis = FIRST.toMillis();
    }
}
