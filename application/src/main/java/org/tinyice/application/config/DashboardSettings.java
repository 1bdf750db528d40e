package org.tinyice.application.config;

import java.time.Duration;

/**
 * How the dashboard protects itself ({@code "dashboard"} in {@code tinyice.json}).
 *
 * @param maxFailedLogins failed logins from one address that lock the address out
 * @param lockout         how long a lockout lasts; failures older than this are forgotten
 * @param sessionIdle     a session ends after this long without a request from its user
 * @param sessionMax      a session ends this long after login, however busy
 */
public record DashboardSettings(int maxFailedLogins, Duration lockout, Duration sessionIdle, Duration sessionMax) {

    public static final DashboardSettings DEFAULTS = new DashboardSettings(5, Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(12));

    public DashboardSettings {
        if (maxFailedLogins < 1) {
            throw new IllegalArgumentException("maxFailedLogins must be at least 1");
        }
        if (lockout.isNegative() || lockout.isZero() || sessionIdle.isNegative() || sessionIdle.isZero()
                || sessionMax.isNegative() || sessionMax.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }
}
