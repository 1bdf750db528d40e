package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.DashboardSettings;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.ManageLockoutsUseCase.Lockout;

class LoginThrottleTest {

    final TestClock clock = new TestClock();
    final LoginThrottle throttle = new LoginThrottle(clock, () -> DashboardSettings.DEFAULTS);

    @Test
    void theFifthFailureLocksTheAddressOutForFifteenMinutes() {
        for (int i = 0; i < 4; i++) {
            assertTrue(throttle.failed("10.0.0.1", "user admin").isEmpty());
            assertTrue(throttle.lockedUntil("10.0.0.1", "user admin").isEmpty());
        }
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), throttle.failed("10.0.0.1", "user admin").orElseThrow());
        assertTrue(throttle.lockedUntil("10.0.0.1", "user admin").isPresent());
        assertTrue(throttle.lockedUntil("10.0.0.2", "user admin").isEmpty(), "only that address");
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertTrue(throttle.lockedUntil("10.0.0.1", "user admin").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(throttle.lockedUntil("10.0.0.1", "user admin").isEmpty(), "over after 15 minutes");
        assertTrue(throttle.failed("10.0.0.1", "user admin").isEmpty(), "and counting starts afresh");
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotAddUp() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0.1", "user admin");
        }
        clock.advance(Duration.ofMinutes(16));
        assertTrue(throttle.failed("10.0.0.1", "user admin").isEmpty());
        assertTrue(throttle.lockedUntil("10.0.0.1", "user admin").isEmpty());
    }

    @Test
    void aSuccessfulLoginClearsTheCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0.1", "user admin");
        }
        throttle.succeeded("10.0.0.1", "user admin");
        assertTrue(throttle.failed("10.0.0.1", "user admin").isEmpty());
    }

    @Test
    void lockoutsAreListedAndAnAdminCanLiftThem() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1", "user admin");
            throttle.failed("10.0.0.2", "user admin");
        }
        throttle.failed("10.0.0.3", "user admin");
        List<Lockout> locked = throttle.lockouts();
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), locked.stream().map(Lockout::address).toList());
        assertEquals(5, locked.get(0).failures());
        assertTrue(throttle.lift("10.0.0.1"));
        assertTrue(throttle.lockedUntil("10.0.0.1", "user admin").isEmpty());
        assertFalse(throttle.lift("10.0.0.1"), "nothing left to lift");
        assertFalse(throttle.lift("10.0.0.3"), "failures but no lockout");
        assertEquals(List.of("10.0.0.2"), throttle.lockouts().stream().map(Lockout::address).toList());
        assertTrue(throttle.failed("10.0.0.1", "user admin").isEmpty(), "a lifted address starts from zero");
    }

    @Test
    void theLimitAndTheDurationAreConfigurable() {
        LoginThrottle strict = new LoginThrottle(clock,
                () -> new DashboardSettings(2, Duration.ofMinutes(60), Duration.ofMinutes(30), Duration.ofHours(12)));
        assertTrue(strict.failed("10.0.0.1", "user admin").isEmpty());
        assertEquals(clock.instant().plus(Duration.ofMinutes(60)), strict.failed("10.0.0.1", "user admin").orElseThrow());
    }
}
