package org.tinyice.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.tinyice.domain.mount.StoredUserAgent;

/**
 * One listener's visit to a mount, recorded when it ends.
 *
 * @param mount the mount path
 * @param connected when the listener connected (kept to the millisecond)
 * @param duration how long it stayed (kept to the millisecond)
 * @param bytes bytes sent to it
 * @param userAgent its {@code User-Agent}, empty when it sent none; bounded by {@link StoredUserAgent} (also
 *     for rows read back), so one odd client cannot bloat months of history
 * @param address its address, absent when addresses are not kept
 * @param protocol how it listened: one Icecast stream, or HLS requests (a session by address and user agent)
 */
public record ListenerSession(String mount, Instant connected, Duration duration, long bytes, String userAgent,
                              Optional<String> address, Protocol protocol) {

    public static final int MAX_USER_AGENT = StoredUserAgent.MAX_BYTES;

    /** How a visit listened; its name, lower case, is what the history keeps. */
    public enum Protocol {
        /** One HTTP response carrying the stream (Icecast's protocol). */
        ICECAST,
        /** Playlist and segment requests (HLS), one visit per address and user agent. */
        HLS
    }

    /** An Icecast listener's visit. */
    public ListenerSession(String mount, Instant connected, Duration duration, long bytes, String userAgent,
                           Optional<String> address) {
        this(mount, connected, duration, bytes, userAgent, address, Protocol.ICECAST);
    }

    public ListenerSession {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(protocol, "protocol");
        connected = HistoryTime.toMillis(Objects.requireNonNull(connected, "connected"));
        duration = HistoryTime.toMillis(Objects.requireNonNull(duration, "duration"));
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(address, "address");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        HistoryTime.requireNotNegative(bytes, "bytes");
        userAgent = StoredUserAgent.of(userAgent);
    }
}
