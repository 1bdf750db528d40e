package org.tinyice.application.config;

import static org.tinyice.application.config.Settings.requireBetween;

/**
 * How {@code access.log} is kept ({@code "access_log"} in {@code tinyice.json}): when it grows past
 * {@code maxBytes} it becomes {@code access.log.1} (the older ones move up one number) and a new one
 * is begun; only {@code files} old ones are kept.
 *
 * @param maxBytes size at which the log is rotated; 0 for never (one file that grows forever)
 * @param files    rotated files kept beside the current one
 */
public record AccessLogSettings(long maxBytes, int files) {

    /** Ten megabytes is about 50,000 listener visits; five of them fit any disk. */
    public static final AccessLogSettings DEFAULTS = new AccessLogSettings(10L * 1024 * 1024, 5);

    public AccessLogSettings {
        requireBetween("max_bytes", maxBytes, 0, Integer.MAX_VALUE);
        requireBetween("files", files, 1, 1_000);
    }
}
