package org.tinyice.domain.hls;

import java.util.List;
import java.util.Optional;

/**
 * What a live media playlist lists at one moment: the segments still in the sliding window, oldest
 * first. Immutable: readers take the segmenter's latest window without a lock.
 *
 * @param codec                 what the segments hold
 * @param segments              oldest first; may be empty while the first segment fills
 * @param discontinuitySequence discontinuities that have left the window ({@code #EXT-X-DISCONTINUITY-SEQUENCE})
 * @param targetSeconds         {@code #EXT-X-TARGETDURATION}: no segment plays longer, rounded
 */
public record HlsWindow(PackedAudio codec, List<HlsSegment> segments, long discontinuitySequence,
                        int targetSeconds) {

    public HlsWindow {
        segments = List.copyOf(segments);
    }

    /** The sequence of the first segment listed ({@code #EXT-X-MEDIA-SEQUENCE}). */
    public long mediaSequence() {
        return segments.isEmpty() ? 0 : segments.getFirst().sequence();
    }

    /** The segment with this sequence, if it is still in the window. */
    public Optional<HlsSegment> segment(long sequence) {
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        long index = sequence - segments.getFirst().sequence();
        return index < 0 || index >= segments.size() ? Optional.empty() : Optional.of(segments.get((int) index));
    }
}
