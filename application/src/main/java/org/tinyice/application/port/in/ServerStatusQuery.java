package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.config.MountConfig;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.StreamFormat;

/** A consistent snapshot of the server for status pages, stats tools and playlists. */
public interface ServerStatusQuery {

    ServerStatus status();

    /** One mount's status, hidden or not, or empty when it has no source. */
    Optional<MountStatus> mount(String path);

    /** The listeners of a live mount, or empty when it has no source. */
    Optional<List<ListenerStatus>> listeners(String path);

    /**
     * @param listenerConnections listeners admitted since start
     * @param sourceConnections   sources admitted since start
     * @param listenerDisconnects listeners that left since start
     * @param listenerAuthFailures listeners refused by listener authentication since start
     * @param listenerLaps        times a listener fell a whole ring behind and skipped to the live edge
     * @param listenersTooSlow    listeners dropped for lapping too often
     * @param listenersStalled    listeners closed because a write blocked too long (they stopped reading)
     */
    record ServerStatus(Instant serverStart, String hostname, int port, String location, String adminEmail,
                        int listeners, int sources, List<MountStatus> mounts, long listenerConnections,
                        long sourceConnections, long listenerDisconnects, long listenerAuthFailures,
                        long listenerLaps, long listenersTooSlow, long listenersStalled) { }

    /** One listener; {@code id} is the same in the admin XML, the JSON API and the dashboard. */
    record ListenerStatus(long id, String remoteAddress, String userAgent, Instant connectedAt, long bytesSent,
                          int laps) { }

    /**
     * @param codec the codec inside an Ogg stream ({@code Opus}, {@code Vorbis}, ...), when known
     */
    record MountStatus(String path, SourceInfo source, StreamFormat format, Optional<String> codec,
                       Optional<String> title, int listeners,
                       int listenerPeak, Instant streamStart, MountConfig config, long bytesRead, long bytesSent,
                       long slowListeners) { }
}
