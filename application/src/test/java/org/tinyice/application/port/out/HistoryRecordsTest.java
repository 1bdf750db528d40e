package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryRecordsTest {

    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void aTitleComesApartAtTheFirstSeparator() {
        SongPlay play = SongPlay.of("/live", "Artist - Song - Live Version", NOON, 1);

        assertEquals(Optional.of("Artist"), play.artist());
        assertEquals(Optional.of("Song - Live Version"), play.song());
        assertEquals("Artist - Song - Live Version", play.title());
    }

    @Test
    void aTitleWithoutTwoNonBlankSidesStaysWhole() {
        for (String title : new String[] {"Just a title", "- Song", "Artist - ", "Artist-Song", "  - Song"}) {
            SongPlay play = SongPlay.of("/live", title, NOON, 1);
            assertEquals(Optional.empty(), play.artist(), title);
            assertEquals(Optional.empty(), play.song(), title);
        }
    }

    @Test
    void artistAndSongComeTogether() {
        assertThrows(IllegalArgumentException.class,
                () -> new SongPlay("/live", "A - B", Optional.of("A"), Optional.empty(), NOON, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SongPlay("/live", " ", Optional.empty(), Optional.empty(), NOON, 0));
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        Instant precise = NOON.plusNanos(123_456_789);

        assertEquals(NOON.plusMillis(123), SongPlay.of("/live", "A", precise, 0).started());
        ListenerSession session = new ListenerSession("/live", precise, Duration.ofNanos(1_999_999), 0, "",
                Optional.empty());
        assertEquals(NOON.plusMillis(123), session.connected());
        assertEquals(Duration.ofMillis(1), session.duration());
    }

    @Test
    void aMinuteSampleStartsOnAMinuteAndItsPeakIsNoLowerThanItsCount() {
        assertThrows(IllegalArgumentException.class, () -> new MinuteSample("/live", NOON.plusSeconds(1), 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MinuteSample("/live", NOON, 5, 4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MinuteSample("/live", NOON, 1, 1, -1, 0));
    }

    @Test
    void aUserAgentIsCutWithoutSplittingACharacter() {
        String agent = "a".repeat(ListenerSession.MAX_USER_AGENT - 1) + "\ud83c\udfb5";

        String kept = new ListenerSession("/live", NOON, Duration.ZERO, 0, agent, Optional.empty()).userAgent();

        assertEquals("a".repeat(ListenerSession.MAX_USER_AGENT - 1), kept);
    }

    @Test
    void anHourMeanIsRoundedHalfUp() {
        assertEquals(2, ListenerSample.meanListeners(3, 2));
        assertEquals(1, ListenerSample.meanListeners(4, 3));
        assertEquals(2, ListenerSample.meanListeners(5, 3));
        assertEquals(0, ListenerSample.meanListeners(0, 60));
    }
}
