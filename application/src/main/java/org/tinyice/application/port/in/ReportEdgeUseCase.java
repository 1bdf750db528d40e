package org.tinyice.application.port.in;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import org.tinyice.application.config.EdgeAddress;

/**
 * An edge that polls this server's stream list says where listeners reach it and how much room it has
 * (Icecast-KH's {@code rserver}, {@code rport}, {@code interval}, and TinyIce's {@code room}), so that this
 * server, when full, can send listeners there.
 */
public interface ReportEdgeUseCase {

    void edgePolled(EdgePoll poll);

    /**
     * @param address  where listeners reach the edge
     * @param room     listener places it has free; empty when it did not say (an Icecast-KH edge, or one
     *                 without a listener limit)
     * @param interval how often it polls: it is forgotten when it stops
     */
    record EdgePoll(EdgeAddress address, OptionalInt room, Duration interval) {
        public EdgePoll {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(room, "room");
            if (room.isPresent() && room.getAsInt() < 0) {
                room = OptionalInt.of(0);
            }
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
        }
    }
}
