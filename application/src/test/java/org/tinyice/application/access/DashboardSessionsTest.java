package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.fixtures.TestClock;

class DashboardSessionsTest {

    final TestClock clock = new TestClock();
    final DashboardSessions sessions = new DashboardSessions(clock, () -> DashboardSettings.DEFAULTS);

    @Test
    void idsAndCsrfTokensAre256RandomBitsAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            DashboardSessions.Session s = sessions.open("admin");
            assertEquals(43, s.id().length(), "32 bytes, unpadded base64url");
            assertTrue(s.id().matches("[A-Za-z0-9_-]{43}"), s.id());
            assertNotEquals(s.id(), s.csrfToken());
            assertTrue(seen.add(s.id()));
            assertTrue(seen.add(s.csrfToken()));
        }
    }

    @Test
    void aSessionEndsAfterThirtyIdleMinutes() {
        String id = sessions.open("admin").id();
        clock.advance(Duration.ofMinutes(29));
        assertTrue(sessions.find(id, false).isPresent());
        clock.advance(Duration.ofMinutes(1));
        assertTrue(sessions.find(id, false).isEmpty(), "idle for 30 minutes");
        assertTrue(sessions.find(id, true).isEmpty(), "and it stays ended");
    }

    @Test
    void aRequestRestartsTheIdleTimeButBackgroundTrafficDoesNot() {
        String touched = sessions.open("admin").id();
        String watched = sessions.open("admin").id();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertTrue(sessions.find(touched, true).isPresent(), "a request every 20 minutes keeps it");
            if (i == 0) {
                assertTrue(sessions.find(watched, false).isPresent());
            }
        }
        assertTrue(sessions.find(watched, false).isEmpty(), "peeking (the event stream) does not keep it alive");
    }

    @Test
    void aSessionEndsTwelveHoursAfterLoginHoweverBusy() {
        String id = sessions.open("admin").id();
        for (int i = 0; i < 12 * 6 - 1; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertTrue(sessions.find(id, true).isPresent(), "at " + (i + 1) * 10 + " minutes");
        }
        clock.advance(Duration.ofMinutes(10));
        assertTrue(sessions.find(id, true).isEmpty(), "the absolute limit");
    }

    @Test
    void expiryFollowsTheConfiguredLimits() {
        DashboardSessions shortLived = new DashboardSessions(clock,
                () -> new DashboardSettings(5, Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofHours(1)));
        DashboardSessions.Session s = shortLived.open("dj");
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), shortLived.expiresAt(s));
        clock.advance(Duration.ofMinutes(5));
        assertTrue(shortLived.find(s.id(), true).isEmpty());
    }

    @Test
    void endingAUsersSessionsLeavesOthersAlone() {
        String a1 = sessions.open("alice").id();
        String a2 = sessions.open("alice").id();
        String b = sessions.open("bob").id();
        assertEquals(2, sessions.endAllOf("alice"));
        assertTrue(sessions.find(a1, false).isEmpty());
        assertTrue(sessions.find(a2, false).isEmpty());
        assertTrue(sessions.find(b, false).isPresent());
    }

    @Test
    void unknownEmptyAndEndedIdsFindNothing() {
        String id = sessions.open("admin").id();
        assertTrue(sessions.find("", true).isEmpty());
        assertTrue(sessions.find(null, true).isEmpty());
        assertTrue(sessions.find(id + "x", true).isEmpty());
        sessions.end(id);
        assertTrue(sessions.find(id, true).isEmpty());
    }
}
