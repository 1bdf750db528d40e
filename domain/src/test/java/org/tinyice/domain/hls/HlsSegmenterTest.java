package org.tinyice.domain.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinyice.domain.stream.Mp3Frames;

/** Real MP3 and ADTS frames, made by ffmpeg, cut into segments. */
class HlsSegmenterTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /** Ten seconds of a tone, encoded by ffmpeg into {@code codec}'s raw frames. */
    private byte[] encoded(PackedAudio codec, int seconds) throws IOException, InterruptedException {
        Path out = dir.resolve("tone." + codec.extension);
        List<String> command = codec == PackedAudio.MP3
                ? List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                        "sine=frequency=440:sample_rate=44100:duration=" + seconds, "-c:a", "libmp3lame", "-b:a",
                        "128k", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", out.toString())
                : List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                        "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac", "-b:a", "96k",
                        "-f", "adts", out.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noFfmpeg) {
            assumeTrue(false, "ffmpeg is not installed");
            throw noFfmpeg;
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
        assertEquals(0, process.exitValue(), new String(process.getInputStream().readAllBytes()));
        return Files.readAllBytes(out);
    }

    /** Feeds {@code bytes} in chunks of random sizes, as a source's reads come. */
    private static void feed(HlsSegmenter segmenter, byte[] bytes, String title) {
        Random random = new Random(19);
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(3000));
            segmenter.accept(bytes, at, n, title, T0);
            at += n;
        }
    }

    /** The frames of a segment: what follows its ID3 tag. */
    private static byte[] audioOf(HlsSegment segment) {
        int tag = Mp3Frames.id3v2Length(segment.bytes(), 0);
        assertTrue(tag > 0, "segment opens with an ID3v2 tag");
        return java.util.Arrays.copyOfRange(segment.bytes(), tag, segment.bytes().length);
    }

    private static long timestampOf(HlsSegment segment) {
        byte[] bytes = segment.bytes();
        byte[] owner = (Id3Tag.TIMESTAMP_OWNER + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(bytes, owner);
        assertTrue(at > 0, "PRIV frame of " + Id3Tag.TIMESTAMP_OWNER);
        long ts = 0;
        for (int i = 0; i < 8; i++) {
            ts = ts << 8 | bytes[at + owner.length + i] & 0xFF;
        }
        return ts;
    }

    private static String titleOf(HlsSegment segment) {
        byte[] bytes = segment.bytes();
        int tagEnd = Mp3Frames.id3v2Length(bytes, 0);
        int at = indexOf(java.util.Arrays.copyOf(bytes, tagEnd), "TIT2".getBytes(StandardCharsets.ISO_8859_1));
        if (at < 0) {
            return null;
        }
        int size = (bytes[at + 4] & 0x7F) << 21 | (bytes[at + 5] & 0x7F) << 14 | (bytes[at + 6] & 0x7F) << 7
                | bytes[at + 7] & 0x7F;
        assertEquals(3, bytes[at + 10], "UTF-8");
        return new String(bytes, at + 11, size - 1, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void cutsOnFrameBoundariesAndKeepsEveryFrame(PackedAudio codec) throws Exception {
        byte[] stream = encoded(codec, 10);
        HlsSegmenter segmenter = new HlsSegmenter(codec, 2 * SECOND, 60 * SECOND, 1000);
        feed(segmenter, stream, "");
        segmenter.finish(T0);
        List<HlsSegment> segments = segmenter.window().segments();
        assertTrue(segments.size() >= 5, segments.size() + " segments of 10 s at 2 s");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long samples = 0;
        int rate = 0;
        for (int i = 0; i < segments.size(); i++) {
            HlsSegment segment = segments.get(i);
            assertEquals(1000 + i, segment.sequence());
            byte[] audio = audioOf(segment);
            // every segment is whole frames, back to back, from its first byte to its last
            int at = 0;
            while (at < audio.length) {
                PackedAudio.Frame frame = codec.frameAt(audio, at);
                assertNotNull(frame, "a frame header at " + at + " of segment " + i);
                if (at == 0) {
                    rate = frame.sampleRate();
                    assertEquals(samples * 90_000 / rate, timestampOf(segment), "90 kHz timestamp of segment " + i);
                }
                samples += frame.samples();
                at += frame.length();
            }
            assertEquals(audio.length, at, "segment " + i + " ends on a frame boundary");
            if (i < segments.size() - 1) {
                assertTrue(segment.durationNanos() >= 2 * SECOND && segment.durationNanos() < 2 * SECOND + SECOND / 10,
                        "segment " + i + " plays " + segment.durationNanos() + " ns");
            }
            all.writeBytes(audio);
        }
        assertArrayEquals(stream, all.toByteArray(), "the segments hold the stream's frames, all and only");
    }

    @Test
    void mp3IsCutOnFrameBoundariesWithTimestampsAndNothingLost() throws Exception {
        cutsOnFrameBoundariesAndKeepsEveryFrame(PackedAudio.MP3);
    }

    @Test
    void adtsAacIsCutOnFrameBoundariesWithTimestampsAndNothingLost() throws Exception {
        cutsOnFrameBoundariesAndKeepsEveryFrame(PackedAudio.AAC);
    }

    @Test
    void bytesBeforeTheFirstFrameAreSkipped() throws Exception {
        byte[] stream = encoded(PackedAudio.MP3, 3);
        byte[] junk = "not audio at all, just text".getBytes(StandardCharsets.US_ASCII);
        byte[] both = new byte[junk.length + stream.length];
        System.arraycopy(junk, 0, both, 0, junk.length);
        System.arraycopy(stream, 0, both, junk.length, stream.length);
        HlsSegmenter segmenter = new HlsSegmenter(PackedAudio.MP3, SECOND, 60 * SECOND, 0);
        feed(segmenter, both, "");
        segmenter.finish(T0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        segmenter.window().segments().forEach(s -> all.writeBytes(audioOf(s)));
        assertArrayEquals(stream, all.toByteArray());
    }

    @Test
    void theWindowSlidesAndStaysWithinItsLength() throws Exception {
        byte[] stream = encoded(PackedAudio.MP3, 20);
        HlsSegmenter segmenter = new HlsSegmenter(PackedAudio.MP3, 2 * SECOND, 6 * SECOND, 0);
        feed(segmenter, stream, "");
        HlsWindow window = segmenter.window();
        long total = window.segments().stream().mapToLong(HlsSegment::durationNanos).sum();
        assertTrue(total >= 6 * SECOND && total < 6 * SECOND + 2 * SECOND + SECOND / 10, "window plays " + total);
        assertTrue(window.mediaSequence() >= 5, "old segments left: first is " + window.mediaSequence());
        assertTrue(window.segment(0).isEmpty(), "segment 0 is out of the window");
        assertTrue(window.segment(window.mediaSequence()).isPresent());
        assertTrue(window.segment(window.mediaSequence() + window.segments().size()).isEmpty());
        assertEquals(2, window.targetSeconds());
    }

    @Test
    void aTitleIsTaggedInTheSegmentWhereItChanges() throws Exception {
        byte[] stream = encoded(PackedAudio.MP3, 8);
        HlsSegmenter segmenter = new HlsSegmenter(PackedAudio.MP3, 2 * SECOND, 60 * SECOND, 0);
        int half = stream.length / 2;
        segmenter.accept(stream, 0, half, "First – Song", T0);
        segmenter.accept(stream, half, stream.length - half, "Second Song", T0);
        segmenter.finish(T0);
        List<HlsSegment> segments = segmenter.window().segments();
        assertEquals("First – Song", titleOf(segments.get(0)));
        assertNull(titleOf(segments.get(1)), "same title: no TIT2");
        String second = null;
        for (HlsSegment segment : segments.subList(2, segments.size())) {
            second = second == null ? titleOf(segment) : second;
        }
        assertEquals("Second Song", second);
    }

    @Test
    void aDiscontinuityStartsAMarkedSegment() throws Exception {
        byte[] stream = encoded(PackedAudio.MP3, 3);
        HlsSegmenter segmenter = new HlsSegmenter(PackedAudio.MP3, 2 * SECOND, 60 * SECOND, 0);
        segmenter.accept(stream, 0, stream.length / 3, "", T0);
        segmenter.discontinuity(T0);
        segmenter.accept(stream, stream.length / 3, stream.length - stream.length / 3, "", T0);
        segmenter.finish(T0);
        List<HlsSegment> segments = segmenter.window().segments();
        assertFalse(segments.get(0).discontinuity());
        assertTrue(segments.get(1).discontinuity());
        assertTrue(segments.get(0).durationNanos() < 2 * SECOND, "the segment before the move is cut short");
    }

    @Test
    void onlyMp3AndAacAreOffered() {
        assertEquals(PackedAudio.MP3, PackedAudio.fromContentType("audio/mpeg"));
        assertEquals(PackedAudio.AAC, PackedAudio.fromContentType("audio/aacp; rate=44100"));
        assertNull(PackedAudio.fromContentType("application/ogg"));
        assertNull(PackedAudio.fromContentType("audio/webm"));
    }
}
