package org.tinyice.application.config;

import static org.tinyice.application.config.Settings.requireBetween;

import java.time.Duration;

/**
 * How every MP3 and AAC mount is also offered as HTTP Live Streaming ({@code "hls"} in
 * {@code tinyice.json}, see docs/hls.md).
 *
 * @param segmentSeconds how long each segment plays (it ends on the first frame boundary after)
 * @param windowSeconds  how much audio the live playlist lists; RFC 8216 6.2.2 wants at least three
 *                       target durations, so that a player that reloads late still finds its next segment
 */
public record HlsSettings(int segmentSeconds, int windowSeconds) {

    /** Four-second segments, a minute's window: Apple's and Go TinyIce's choice, and hls.js's comfort. */
    public static final HlsSettings DEFAULTS = new HlsSettings(4, 60);

    public HlsSettings {
        requireBetween("segment_seconds", segmentSeconds, 1, 30);
        requireBetween("window_seconds", windowSeconds, 3L * segmentSeconds, 600);
    }

    public Duration segment() {
        return Duration.ofSeconds(segmentSeconds);
    }

    public Duration window() {
        return Duration.ofSeconds(windowSeconds);
    }
}
