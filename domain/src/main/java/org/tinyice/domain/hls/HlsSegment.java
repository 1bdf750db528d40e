package org.tinyice.domain.hls;

import java.time.Instant;

/**
 * One finished segment of a mount's HLS stream: an ID3v2 tag, then whole frames. Never changes once
 * made, which is what lets every cache keep it for as long as it likes.
 *
 * @param sequence      its media sequence number (its name: {@code <sequence>.mp3})
 * @param bytes         the ID3 tag and the frames; never written to after the segment is made
 * @param durationNanos how long its frames play
 * @param startedAt     wall-clock time its first byte arrived ({@code #EXT-X-PROGRAM-DATE-TIME})
 * @param madeAt        when it was finished ({@code Last-Modified})
 * @param discontinuity whether it follows a change of stream (a fallback move): {@code #EXT-X-DISCONTINUITY}
 * @param title         the title in force when it started ("" for none)
 */
public record HlsSegment(long sequence, byte[] bytes, long durationNanos, Instant startedAt, Instant madeAt,
                         boolean discontinuity, String title) {

    /** Seconds, as {@code #EXTINF} writes them. */
    public double durationSeconds() {
        return durationNanos / 1e9;
    }
}
