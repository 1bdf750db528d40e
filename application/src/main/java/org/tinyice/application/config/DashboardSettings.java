package org.tinyice.application.config;

import static org.tinyice.application.config.Settings.requireBetween;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * How the dashboard protects itself ({@code "dashboard"} in {@code tinyice.json}).
 *
 * @param maxFailedLogins failed logins from one address that lock the address out
 * @param lockout         how long a lockout lasts; failures older than this are forgotten
 * @param sessionIdle     a session ends after this long without a request from its user
 * @param sessionMax      a session ends this long after login, however busy
 */
public record DashboardSettings(int maxFailedLogins, Duration lockout, Duration sessionIdle, Duration sessionMax) {

    private static final int A_YEAR_OF_MINUTES = 525_600;

    public static final DashboardSettings DEFAULTS = new DashboardSettings(5, Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(12));

    public DashboardSettings {
        requireBetween("max_failed_logins", maxFailedLogins, 1, 1_000);
        requireBetween("lockout_minutes", lockout, ChronoUnit.MINUTES, 1, A_YEAR_OF_MINUTES);
        requireBetween("session_idle_minutes", sessionIdle, ChronoUnit.MINUTES, 1, A_YEAR_OF_MINUTES);
        requireBetween("session_max_hours", sessionMax, ChronoUnit.HOURS, 1, 8_760);
    }
}
