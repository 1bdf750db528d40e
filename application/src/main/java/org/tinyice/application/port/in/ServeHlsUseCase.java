package org.tinyice.application.port.in;

import java.util.Map;
import org.tinyice.domain.hls.HlsSegment;
import org.tinyice.domain.hls.HlsWindow;
import org.tinyice.domain.hls.PackedAudio;

/**
 * Every MP3 and AAC mount as HTTP Live Streaming: its live playlist's window and its segments, built
 * once per mount as the audio arrives, and the HLS sessions seen by address and user agent (see
 * docs/hls.md for why not by a session parameter).
 */
public interface ServeHlsUseCase {

    /** The segments a playlist of {@code mountPath} lists now. */
    HlsAnswer playlist(String mountPath, HlsClient client);

    /** One segment, while it is in the window. */
    HlsAnswer segment(String mountPath, long sequence, HlsClient client);

    /** HLS sessions now, by mount path (mounts without any left out). */
    Map<String, Integer> sessions();

    /** Playlists and segments served since start: what a cache in front saves shows here. */
    HlsRequests requests();

    /** Who asked: an HLS session is one address and user agent that keeps asking. */
    record HlsClient(String address, String userAgent) {
    }

    record HlsRequests(long playlists, long segments) {
    }

    sealed interface HlsAnswer {
        /** The window now; {@code codec} names the segments' extension. */
        record Playlist(HlsWindow window, PackedAudio codec) implements HlsAnswer {
        }

        record Segment(HlsSegment segment, PackedAudio codec) implements HlsAnswer {
        }

        /** No source on this mount, or the segment has left the window (or never was). */
        record NotFound(String reason) implements HlsAnswer {
        }

        /** The mount streams, but not in a codec HLS packed audio carries (Ogg). */
        record NotOffered(String reason) implements HlsAnswer {
        }
    }
}
