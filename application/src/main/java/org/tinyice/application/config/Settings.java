package org.tinyice.application.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The range checks the configuration records share, worded in the file's keys and units. */
final class Settings {

    private Settings() {
    }

    static void requireBetween(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSettingException("\"" + setting + "\" must be a whole number from " + min + " to " + max
                    + ", not " + value, setting);
        }
    }

    /** {@code duration} from {@code min} to {@code max} of {@code unit}, the unit the file counts it in. */
    static void requireBetween(String setting, Duration duration, ChronoUnit unit, long min, long max) {
        if (duration == null) {
            throw new NullPointerException(setting);
        }
        if (duration.compareTo(unit.getDuration().multipliedBy(min)) < 0
                || duration.compareTo(unit.getDuration().multipliedBy(max)) > 0) {
            throw new InvalidSettingException("\"" + setting + "\" must be a whole number from " + min + " to " + max
                    + ", not " + duration.dividedBy(unit.getDuration()), setting);
        }
    }
}
