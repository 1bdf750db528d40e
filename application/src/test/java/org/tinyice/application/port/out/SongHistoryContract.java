package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SongHistory} must do. An adapter's test extends this class and says how to make an
 * empty history; the tests here then run against that adapter.
 */
public abstract class SongHistoryContract {

    protected static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");

    /** A new, empty history. */
    protected abstract SongHistory newHistory();

    protected static SongPlay play(String mount, String title, Instant started) {
        return SongPlay.of(mount, title, started, 7);
    }

    private static List<String> titles(List<SongPlay> plays) {
        return plays.stream().map(SongPlay::title).toList();
    }

    @Test
    void knowsNothingOfAMountThatPlayedNothing() {
        assertEquals(List.of(), newHistory().recent("/live", 10, Optional.empty()));
    }

    @Test
    void givesBackEveryPartOfWhatWasRecorded() {
        SongHistory history = newHistory();
        SongPlay split = new SongPlay("/live", "Daft Punk - One More Time", Optional.of("Daft Punk"),
                Optional.of("One More Time"), NOON, 42);
        SongPlay whole = new SongPlay("/live", "Station jingle", Optional.empty(), Optional.empty(),
                NOON.plusSeconds(30), 0);

        history.record(split);
        history.record(whole);

        assertEquals(List.of(whole, split), history.recent("/live", 10, Optional.empty()));
    }

    @Test
    void keepsTextAsItCame() {
        SongHistory history = newHistory();
        SongPlay odd = play("/live", "Caf\u00e9 \"Z\u00fcrich\" ' ; DROP TABLE x; -- \u6771\u4eac \ud83c\udfb5", NOON);

        history.record(odd);

        assertEquals(List.of(odd), history.recent("/live", 1, Optional.empty()));
    }

    @Test
    void keepsTheStartToTheMillisecond() {
        SongHistory history = newHistory();
        Instant precise = NOON.plusMillis(123);

        history.record(play("/live", "A", precise));

        assertEquals(precise, history.recent("/live", 1, Optional.empty()).getFirst().started());
    }

    @Test
    void listsTheNewestFirstWhateverTheOrderOfRecording() {
        SongHistory history = newHistory();
        history.record(play("/live", "second", NOON.plusSeconds(200)));
        history.record(play("/live", "first", NOON.plusSeconds(100)));
        history.record(play("/live", "third", NOON.plusSeconds(300)));

        assertEquals(List.of("third", "second", "first"), titles(history.recent("/live", 10, Optional.empty())));
    }

    @Test
    void playsWithTheSameStartComeNewestRecordedFirst() {
        SongHistory history = newHistory();
        history.record(play("/live", "earlier", NOON));
        history.record(play("/live", "later", NOON));

        assertEquals(List.of("later", "earlier"), titles(history.recent("/live", 10, Optional.empty())));
    }

    @Test
    void theLimitKeepsTheNewest() {
        SongHistory history = newHistory();
        for (int i = 0; i < 10; i++) {
            history.record(play("/live", "song " + i, NOON.plusSeconds(i)));
        }

        assertEquals(List.of("song 9", "song 8", "song 7"), titles(history.recent("/live", 3, Optional.empty())));
    }

    @Test
    void beforePagesBackAndLeavesOutPlaysStartingAtIt() {
        SongHistory history = newHistory();
        for (int i = 0; i < 5; i++) {
            history.record(play("/live", "song " + i, NOON.plusSeconds(i)));
        }

        List<SongPlay> firstPage = history.recent("/live", 2, Optional.empty());
        List<SongPlay> secondPage = history.recent("/live", 2, Optional.of(firstPage.getLast().started()));
        List<SongPlay> lastPage = history.recent("/live", 2, Optional.of(secondPage.getLast().started()));

        assertEquals(List.of("song 4", "song 3"), titles(firstPage));
        assertEquals(List.of("song 2", "song 1"), titles(secondPage));
        assertEquals(List.of("song 0"), titles(lastPage));
    }

    @Test
    void keepsMountsApart() {
        SongHistory history = newHistory();
        history.record(play("/live", "on live", NOON));
        history.record(play("/other", "on other", NOON.plusSeconds(1)));

        assertEquals(List.of("on live"), titles(history.recent("/live", 10, Optional.empty())));
        assertEquals(List.of("on other"), titles(history.recent("/other", 10, Optional.empty())));
        assertEquals(List.of(), history.recent("/live/", 10, Optional.empty()));
    }

    @Test
    void refusesALimitBelowOne() {
        SongHistory history = newHistory();

        assertThrows(IllegalArgumentException.class, () -> history.recent("/live", 0, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> history.recent("/live", -1, Optional.empty()));
    }

    @Test
    void pruneForgetsOnlyPlaysThatStartedBeforeTheCutoffOnEveryMount() {
        SongHistory history = newHistory();
        history.record(play("/live", "old", NOON.minus(Duration.ofDays(100))));
        history.record(play("/other", "old too", NOON.minus(Duration.ofDays(91))));
        history.record(play("/live", "at the cutoff", NOON.minus(Duration.ofDays(90))));
        history.record(play("/live", "new", NOON));

        int pruned = history.prune(NOON.minus(Duration.ofDays(90)));

        assertEquals(2, pruned);
        assertEquals(List.of("new", "at the cutoff"), titles(history.recent("/live", 10, Optional.empty())));
        assertEquals(List.of(), history.recent("/other", 10, Optional.empty()));
        assertEquals(0, history.prune(NOON.minus(Duration.ofDays(90))));
    }
}
