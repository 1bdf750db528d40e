package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The numbers of the dashboard's live view and of the public page: a snapshot the application takes
 * at most a few times a second, whatever the number of viewers.
 */
public interface LiveStatsQuery {

    /** Totals and mounts as {@code viewer} may see them: a dj's totals are those of its own mounts. */
    LiveStats liveStats(DashboardUser viewer);

    /** What anyone may see: public, not hidden mounts with their title and listener count. */
    List<PublicMount> publicMounts();

    /**
     * @param bytesInPerSecond  audio arriving from sources, over the last interval
     * @param bytesOutPerSecond audio sent to listeners, over the last interval
     * @param heapUsed          bytes of Java heap in use (the process's, not per viewer)
     * @param cpuPercent        the process's CPU use over the last interval, 100 = all cores busy
     * @param hlsSessions       HLS sessions on these mounts (not listeners: see docs/hls.md)
     */
    record LiveStats(Instant at, Instant serverStart, int listeners, int sources, long bytesInPerSecond,
                     long bytesOutPerSecond, long heapUsed, long heapMax, double cpuPercent,
                     List<LiveMount> mounts, int hlsSessions) { }

    /**
     * @param bitrateKbps the bitrate the source announces ({@code ice-bitrate}), else the measured input rate
     * @param connectedSince when the current source connected
     * @param hls            whether the mount is offered as HLS (MP3 and AAC)
     * @param hlsSessions    HLS sessions on it now
     */
    record LiveMount(String path, Optional<String> name, String contentType, Optional<String> title, int listeners,
                     int listenerPeak, long bitrateKbps, String sourceAddress, String sourceUserAgent,
                     Instant connectedSince, long slowListeners, long bytesInPerSecond, long bytesOutPerSecond,
                     boolean isPublic, boolean hidden, boolean hls, int hlsSessions) { }

    /** @param hls whether {@code <path>/index.m3u8} plays it (MP3 and AAC mounts) */
    record PublicMount(String path, Optional<String> name, String contentType, Optional<String> title,
                       int listeners, boolean hls) { }
}
