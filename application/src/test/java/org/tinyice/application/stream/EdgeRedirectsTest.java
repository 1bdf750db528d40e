package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.ReportEdgeUseCase.EdgePoll;

class EdgeRedirectsTest {

    private static final EdgeAddress EDGE_1 = new EdgeAddress("edge1.example", 8000);
    private static final EdgeAddress EDGE_2 = new EdgeAddress("edge2.example", 8000);
    private static final EdgeAddress STATIC_1 = new EdgeAddress("static1.example", 8000);
    private static final EdgeAddress STATIC_2 = new EdgeAddress("10.0.0.2", 8001);
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final TestClock clock = new TestClock();
    private final CurrentConfig config = new CurrentConfig(ServerConfig.defaults());
    private final EdgeRedirects edges = new EdgeRedirects(config, clock);

    private void poll(EdgeAddress edge, int room) {
        edges.edgePolled(new EdgePoll(edge, OptionalInt.of(room), INTERVAL));
    }

    private List<Optional<EdgeAddress>> choose(int times) {
        List<Optional<EdgeAddress>> chosen = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            chosen.add(edges.edgeForListener());
        }
        return chosen;
    }

    @Test
    void withoutEdgesThereIsNothingToRedirectTo() {
        assertEquals(Optional.empty(), edges.edgeForListener());
    }

    @Test
    void theEdgeWithTheMostRoomIsChosenAndEachRedirectTakesOneOfItsPlaces() {
        poll(EDGE_1, 1);
        poll(EDGE_2, 3);
        // 3 vs 1: edge 2 until both have 1 left, then the first to report wins the tie, then edge 2, then none
        assertEquals(List.of(Optional.of(EDGE_2), Optional.of(EDGE_2), Optional.of(EDGE_1), Optional.of(EDGE_2),
                Optional.empty()), choose(5));
    }

    @Test
    void aNewPollStartsTheCountOver() {
        poll(EDGE_1, 1);
        assertEquals(Optional.of(EDGE_1), edges.edgeForListener());
        assertEquals(Optional.empty(), edges.edgeForListener(), "its one place is taken until it says otherwise");
        poll(EDGE_1, 2);
        assertEquals(List.of(Optional.of(EDGE_1), Optional.of(EDGE_1), Optional.empty()), choose(3));
    }

    @Test
    void anEdgeThatStopsPollingIsForgottenAfterThreeOfItsIntervals() {
        poll(EDGE_1, 100);
        clock.advance(INTERVAL.multipliedBy(3).minusMillis(1));
        assertEquals(Optional.of(EDGE_1), edges.edgeForListener(), "two polls missed, one late: still there");
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), edges.edgeForListener());
        assertEquals(List.of(), edges.edges());

        poll(EDGE_1, 100);
        assertEquals(Optional.of(EDGE_1), edges.edgeForListener(), "it comes back with its next poll");
    }

    @Test
    void staticEdgesTakeTurnsAndReadTheConfigurationAtEachChoice() {
        config.replace(config.get().withRedirectTo(List.of(STATIC_1, STATIC_2)));
        assertEquals(List.of(Optional.of(STATIC_1), Optional.of(STATIC_2), Optional.of(STATIC_1)), choose(3));

        config.replace(config.get().withRedirectTo(List.of(STATIC_2))); // a reload
        assertEquals(List.of(Optional.of(STATIC_2), Optional.of(STATIC_2)), choose(2));

        config.replace(config.get().withRedirectTo(List.of()));
        assertEquals(Optional.empty(), edges.edgeForListener());
    }

    @Test
    void edgesWithKnownRoomComeBeforeStaticOnesWhichTakeOverWhenTheRoomIsGone() {
        config.replace(config.get().withRedirectTo(List.of(STATIC_1)));
        poll(EDGE_1, 1);
        assertEquals(List.of(Optional.of(EDGE_1), Optional.of(STATIC_1), Optional.of(STATIC_1)), choose(3));
    }

    @Test
    void anEdgeThatSaysItIsFullIsNotSentListenersEvenIfTheFileNamesIt() {
        config.replace(config.get().withRedirectTo(List.of(EDGE_1, STATIC_1)));
        poll(EDGE_1, 0);
        assertEquals(List.of(Optional.of(STATIC_1), Optional.of(STATIC_1)), choose(2));
    }

    @Test
    void edgesThatDoNotSayTheirRoomTakeTurnsWithTheStaticOnes() {
        config.replace(config.get().withRedirectTo(List.of(STATIC_1)));
        edges.edgePolled(new EdgePoll(EDGE_1, OptionalInt.empty(), INTERVAL)); // an Icecast-KH edge
        assertEquals(List.of(Optional.of(EDGE_1), Optional.of(STATIC_1), Optional.of(EDGE_1)), choose(3));
    }

    @Test
    void thisServerItselfIsNeverChosenSoAListenerIsNotSentInCircles() {
        ServerConfig self = config.get().withListenAddress("0.0.0.0", 8000);
        EdgeAddress me = new EdgeAddress(self.hostname(), 8000);
        config.replace(self.withRedirectTo(List.of(me)));
        poll(me, 50);
        assertEquals(Optional.empty(), edges.edgeForListener());
    }

    @Test
    void theEdgesListShowsWhatIsLeftOfEachReportedRoom() {
        config.replace(config.get().withRedirectTo(List.of(STATIC_1, EDGE_1)));
        poll(EDGE_1, 5);
        edges.edgeForListener();
        assertEquals(List.of(new EdgeRedirects.Edge(EDGE_1, OptionalInt.of(4), true),
                new EdgeRedirects.Edge(STATIC_1, OptionalInt.empty(), false)), edges.edges());
    }
}
