package org.tinyice.adapters.http.icecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.port.in.ReportEdgeUseCase.EdgePoll;

/** What a polling edge's query says of it ({@code AdminCommands.edgePoll}). */
class EdgePollTest {

    @Test
    void tinyIcesParametersAreIcecastKhsAndTheRoom() {
        assertEquals(Optional.of(new EdgePoll(new EdgeAddress("edge1.example", 8001), OptionalInt.of(40),
                        Duration.ofSeconds(120))),
                AdminCommands.edgePoll(Map.of("rserver", "edge1.example", "rport", "8001", "interval", "120",
                        "room", "40")));
    }

    @Test
    void anIcecastKhEdgeSaysNothingOfItsRoom() {
        assertEquals(Optional.of(new EdgePoll(new EdgeAddress("10.0.0.9", 8000), OptionalInt.empty(),
                        Duration.ofSeconds(60))),
                AdminCommands.edgePoll(Map.of("rserver", "10.0.0.9", "rport", "8000", "interval", "60")));
    }

    @Test
    void aPollThatDoesNotReadIsAPlainListRequest() {
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of()));
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of("rserver", "e", "rport", "8000")));
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of("rserver", "e", "rport", "0", "interval", "5")));
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of("rserver", "e", "rport", "99999",
                "interval", "5")));
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of("rserver", "e", "rport", "8000",
                "interval", "5", "room", "-1")));
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of("rserver", "e\r\nSet-Cookie: x", "rport", "8000",
                "interval", "5")), "a host that would break the Location header");
        assertEquals(Optional.empty(), AdminCommands.edgePoll(Map.of("rserver", "e/evil", "rport", "8000",
                "interval", "5")));
    }
}
