package org.tinyice.domain.hls;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tinyice.domain.stream.Mp3Frames;

/**
 * Cuts one mount's audio into HLS packed-audio segments: whole frames only, a new segment once the
 * current one plays at least the segment length, and a sliding window of finished segments no longer
 * than the window length. One writer (the thread that follows the mount's ring) calls {@link #accept};
 * any number of HTTP threads read {@link #window()}, an immutable snapshot published on each cut.
 *
 * <p>Memory is bounded by the window plus the segment being filled plus one partial frame: a source
 * that sends no frame at all costs at most {@value #MAX_SKIP} bytes of search before they are dropped.
 *
 * <p>Timestamps count samples from the first frame, in 90 kHz ticks, and keep counting across a
 * {@link #discontinuity()}: players reset their timeline at a discontinuity anyway, and a count that
 * never goes back can never repeat a timestamp inside one window.
 */
public final class HlsSegmenter {

    /** Bytes kept while looking for a frame header in data that has none, before giving them up. */
    static final int MAX_SKIP = 64 * 1024;

    private final PackedAudio codec;
    private final long segmentNanos;
    private final long windowNanos;
    private final int segmentSeconds;

    /** Bytes of a frame (or of a header) that the next chunk completes. */
    private byte[] carry = new byte[0];
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(128 * 1024);
    private long currentSamples;
    private int currentRate;
    private long currentNanos;
    private Instant currentStart;
    private String currentTitle = "";
    private boolean currentDiscontinuity;

    /** The 90 kHz time at {@code countRate}'s last change, and the samples played since at that rate. */
    private long ticksAtRateChange;
    private long samplesSinceRateChange;
    private int countRate;
    private String lastTitle = "";
    private long nextSequence;
    private long discontinuitiesDropped;
    private final ArrayDeque<HlsSegment> segments = new ArrayDeque<>();
    private volatile HlsWindow window;

    /**
     * @param firstSequence the sequence number of the first segment: make it differ from any earlier
     *                      stream's on this mount, or a cache would serve the old segment for the new name
     */
    public HlsSegmenter(PackedAudio codec, long segmentNanos, long windowNanos, long firstSequence) {
        this.codec = Objects.requireNonNull(codec, "codec");
        if (segmentNanos <= 0 || windowNanos < segmentNanos) {
            throw new IllegalArgumentException("segment " + segmentNanos + " ns, window " + windowNanos + " ns");
        }
        this.segmentNanos = segmentNanos;
        this.windowNanos = windowNanos;
        this.segmentSeconds = (int) Math.ceil(segmentNanos / 1e9);
        this.nextSequence = firstSequence;
        this.window = new HlsWindow(codec, List.of(), 0, segmentSeconds);
    }

    public PackedAudio codec() {
        return codec;
    }

    /** The segments listed now; never null. */
    public HlsWindow window() {
        return window;
    }

    /**
     * Takes the next bytes of the stream: whole frames go into the current segment, and a segment that
     * has reached the segment length is finished before the frame that would lengthen it further.
     *
     * @param title     the title in force when these bytes arrived ("" for none)
     * @param arrivedAt when they arrived
     */
    public void accept(byte[] bytes, int offset, int length, String title, Instant arrivedAt) {
        byte[] data;
        int start;
        int end;
        if (carry.length == 0) {
            data = bytes;
            start = offset;
            end = offset + length;
        } else {
            data = new byte[carry.length + length];
            System.arraycopy(carry, 0, data, 0, carry.length);
            System.arraycopy(bytes, offset, data, carry.length, length);
            start = 0;
            end = data.length;
        }
        int at = start;
        int header = codec.headerLength();
        while (end - at >= header) {
            if (end - at >= Mp3Frames.ID3V2_HEADER_LENGTH) {
                int tag = Mp3Frames.id3v2Length(data, at);
                if (tag > 0) { // a tag in the stream (some encoders send one first): not audio
                    if (end - at < tag) {
                        break;
                    }
                    at += tag;
                    continue;
                }
            }
            PackedAudio.Frame frame = codec.frameAt(data, at);
            if (frame == null) {
                at++; // not in sync: look at the next byte
                continue;
            }
            if (end - at < frame.length()) {
                break; // the rest of the frame comes with the next bytes
            }
            addFrame(data, at, frame, title, arrivedAt);
            at += frame.length();
        }
        if (end - at > MAX_SKIP) { // only a tag too long to be real waits this long: give it up
            at = end - header;
        }
        carry = Arrays.copyOfRange(data, at, end);
    }

    private void addFrame(byte[] data, int at, PackedAudio.Frame frame, String title, Instant arrivedAt) {
        if (currentNanos >= segmentNanos || currentRate != 0 && currentRate != frame.sampleRate()) {
            cut(arrivedAt);
        }
        if (current.size() == 0) {
            currentStart = arrivedAt;
            currentTitle = title;
            currentRate = frame.sampleRate();
        }
        current.write(data, at, frame.length());
        currentSamples += frame.samples();
        currentNanos = currentSamples * 1_000_000_000L / currentRate;
    }

    /**
     * The stream continues from another source (a fallback move, or back home): the segment being
     * filled is finished as it is, a partial frame is dropped, and the next segment is marked
     * {@code #EXT-X-DISCONTINUITY} so players reset their decoder.
     */
    public void discontinuity(Instant now) {
        cut(now);
        carry = new byte[0];
        currentDiscontinuity = true;
    }

    /** Finishes the segment being filled, if it holds anything (the source left). */
    public void finish(Instant now) {
        cut(now);
        carry = new byte[0];
    }

    private void cut(Instant now) {
        if (current.size() == 0) {
            return;
        }
        // after a discontinuity the player starts afresh, so it is told the title again
        boolean titleChanged = !currentTitle.equals(lastTitle) || currentDiscontinuity;
        if (countRate != currentRate) { // counted in whole samples at one rate, the time never drifts
            ticksAtRateChange = ticks();
            samplesSinceRateChange = 0;
            countRate = currentRate;
        }
        byte[] tag = Id3Tag.of(ticks(), titleChanged && !currentTitle.isEmpty() ? currentTitle : null);
        byte[] bytes = new byte[tag.length + current.size()];
        System.arraycopy(tag, 0, bytes, 0, tag.length);
        byte[] audio = current.toByteArray();
        System.arraycopy(audio, 0, bytes, tag.length, audio.length);
        segments.addLast(new HlsSegment(nextSequence++, bytes, currentNanos, currentStart, now,
                currentDiscontinuity, currentTitle));
        samplesSinceRateChange += currentSamples;
        lastTitle = currentTitle;
        current.reset();
        currentSamples = 0;
        currentNanos = 0;
        currentRate = 0;
        currentDiscontinuity = false;
        trim();
        long longest = 0;
        for (HlsSegment segment : segments) {
            longest = Math.max(longest, segment.durationNanos());
        }
        int target = Math.max(segmentSeconds, (int) Math.round(longest / 1e9));
        window = new HlsWindow(codec, List.copyOf(segments), discontinuitiesDropped, target);
    }

    private long ticks() {
        return countRate == 0 ? ticksAtRateChange : ticksAtRateChange + samplesSinceRateChange * 90_000L / countRate;
    }

    /** Drops the oldest segments while the rest still fill the window. */
    private void trim() {
        long total = 0;
        for (HlsSegment segment : segments) {
            total += segment.durationNanos();
        }
        while (segments.size() > 1 && total - segments.getFirst().durationNanos() >= windowNanos) {
            HlsSegment gone = segments.removeFirst();
            total -= gone.durationNanos();
            if (gone.discontinuity()) {
                discontinuitiesDropped++;
            }
        }
    }
}
