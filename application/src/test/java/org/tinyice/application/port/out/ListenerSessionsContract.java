package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ListenerSessions} must do. An adapter's test extends this class and says how to make
 * an empty store; the tests here then run against that adapter.
 */
public abstract class ListenerSessionsContract {

    protected static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant FAR_PAST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    /** A new, empty store. */
    protected abstract ListenerSessions newSessions();

    protected static ListenerSession session(String mount, Instant connected, String userAgent) {
        return new ListenerSession(mount, connected, Duration.ofMinutes(3), 1_440_000, userAgent,
                Optional.of("192.0.2.10"));
    }

    private static List<String> agents(List<ListenerSession> sessions) {
        return sessions.stream().map(ListenerSession::userAgent).toList();
    }

    @Test
    void knowsNothingOfAMountNobodyListenedTo() {
        assertEquals(List.of(), newSessions().sessions("/live", FAR_PAST, FAR_FUTURE));
    }

    @Test
    void givesBackEveryPartOfWhatWasRecorded() {
        ListenerSessions sessions = newSessions();
        ListenerSession withAddress = new ListenerSession("/live", NOON.plusMillis(5),
                Duration.ofHours(2).plusMillis(17), 9_000_000_000L, "VLC/3.0.20 LibVLC/3.0.20",
                Optional.of("2001:db8::1"));
        ListenerSession withoutAddress = new ListenerSession("/live", NOON.plusSeconds(1), Duration.ZERO, 0, "",
                Optional.empty());

        sessions.record(withAddress);
        sessions.record(withoutAddress);

        assertEquals(List.of(withAddress, withoutAddress), sessions.sessions("/live", FAR_PAST, FAR_FUTURE));
    }

    @Test
    void keepsACrowdRecordedAtOnceInItsOrder() {
        ListenerSessions sessions = newSessions();
        List<ListenerSession> crowd = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            crowd.add(session("/live", NOON, "agent " + i));
        }
        sessions.record(session("/live", NOON.minusSeconds(1), "before"));

        sessions.recordAll(crowd);
        sessions.recordAll(List.of());

        List<ListenerSession> kept = sessions.sessions("/live", FAR_PAST, FAR_FUTURE);
        assertEquals(301, kept.size());
        assertEquals("before", kept.getFirst().userAgent());
        assertEquals(crowd, kept.subList(1, 301));
    }

    @Test
    void keepsHowEachVisitListened() {
        ListenerSessions sessions = newSessions();
        ListenerSession stream = session("/live", NOON, "VLC");
        ListenerSession hls = new ListenerSession("/live", NOON.plusSeconds(1), Duration.ofSeconds(40), 640_000,
                "AppleCoreMedia/1.0", Optional.empty(), ListenerSession.Protocol.HLS);

        sessions.recordAll(List.of(stream, hls));

        assertEquals(List.of(ListenerSession.Protocol.ICECAST, ListenerSession.Protocol.HLS),
                sessions.sessions("/live", FAR_PAST, FAR_FUTURE).stream().map(ListenerSession::protocol).toList());
    }

    @Test
    void keepsALongUserAgentToItsLimit() {
        ListenerSessions sessions = newSessions();
        ListenerSession session = session("/live", NOON, "x".repeat(5_000));

        sessions.record(session);

        assertEquals(ListenerSession.MAX_USER_AGENT,
                sessions.sessions("/live", FAR_PAST, FAR_FUTURE).getFirst().userAgent().length());
    }

    @Test
    void listsInOrderOfConnectionThenOfRecording() {
        ListenerSessions sessions = newSessions();
        sessions.record(session("/live", NOON.plusSeconds(20), "third"));
        sessions.record(session("/live", NOON, "first"));
        sessions.record(session("/live", NOON.plusSeconds(20), "fourth"));
        sessions.record(session("/live", NOON.plusSeconds(10), "second"));

        assertEquals(List.of("first", "second", "third", "fourth"),
                agents(sessions.sessions("/live", FAR_PAST, FAR_FUTURE)));
    }

    @Test
    void theRangeIncludesItsStartAndLeavesOutItsEnd() {
        ListenerSessions sessions = newSessions();
        for (int i = 0; i < 5; i++) {
            sessions.record(session("/live", NOON.plusSeconds(i), "agent " + i));
        }

        assertEquals(List.of("agent 1", "agent 2"),
                agents(sessions.sessions("/live", NOON.plusSeconds(1), NOON.plusSeconds(3))));
    }

    @Test
    void keepsMountsApart() {
        ListenerSessions sessions = newSessions();
        sessions.record(session("/live", NOON, "on live"));
        sessions.record(session("/other", NOON, "on other"));

        assertEquals(List.of("on live"), agents(sessions.sessions("/live", FAR_PAST, FAR_FUTURE)));
        assertEquals(List.of("on other"), agents(sessions.sessions("/other", FAR_PAST, FAR_FUTURE)));
    }

    @Test
    void pruneForgetsOnlySessionsThatConnectedBeforeTheCutoffOnEveryMount() {
        ListenerSessions sessions = newSessions();
        Instant cutoff = NOON.minus(Duration.ofDays(90));
        sessions.record(session("/live", cutoff.minusMillis(1), "old"));
        sessions.record(session("/other", cutoff.minus(Duration.ofDays(3)), "old too"));
        sessions.record(session("/live", cutoff, "at the cutoff"));
        sessions.record(session("/live", NOON, "new"));

        int pruned = sessions.prune(cutoff);

        assertEquals(2, pruned);
        assertEquals(List.of("at the cutoff", "new"), agents(sessions.sessions("/live", FAR_PAST, FAR_FUTURE)));
        assertEquals(List.of(), sessions.sessions("/other", FAR_PAST, FAR_FUTURE));
    }
}
