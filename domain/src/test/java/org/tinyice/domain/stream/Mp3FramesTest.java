package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinyice.domain.stream.Mp3Frames.Frame;
import org.tinyice.domain.stream.Mp3Frames.Version;

class Mp3FramesTest {

    /** Version bits of the header's second byte. */
    static final int MPEG_1 = 0b11;
    static final int MPEG_2 = 0b10;
    static final int MPEG_2_5 = 0b00;
    static final int STEREO = 0b00;
    static final int MONO = 0b11;

    /** A Layer III header without CRC. */
    static byte[] header(int version, int bitrateIndex, int rateIndex, boolean padded, int channelMode) {
        return new byte[] {(byte) 0xFF, (byte) (0xE0 | version << 3 | 0b01 << 1 | 1),
                (byte) (bitrateIndex << 4 | rateIndex << 2 | (padded ? 0b10 : 0)), (byte) (channelMode << 6)};
    }

    static Frame parse(byte[] bytes) {
        return Mp3Frames.header(bytes, 0).orElseThrow(() -> new AssertionError("not a frame"));
    }

    @ParameterizedTest(name = "{0} index {1}, rate index {2}, padded {3}: {4} bit/s, {5} Hz, {6} bytes")
    @CsvSource({
            // MPEG-1: 144 * bitrate / sample rate (+1 padded), 1152 samples
            "3, 9, 0, false, 128000, 44100, 417, 1152",
            "3, 9, 0, true, 128000, 44100, 418, 1152",
            "3, 5, 0, false, 64000, 44100, 208, 1152",
            "3, 5, 0, true, 64000, 44100, 209, 1152",
            "3, 1, 1, false, 32000, 48000, 96, 1152",
            "3, 14, 2, true, 320000, 32000, 1441, 1152",
            // MPEG-2: 72 * bitrate / sample rate, 576 samples
            "2, 8, 0, false, 64000, 22050, 208, 576",
            "2, 14, 1, false, 160000, 24000, 480, 576",
            "2, 1, 2, false, 8000, 16000, 36, 576",
            // MPEG-2.5
            "0, 1, 2, false, 8000, 8000, 72, 576",
            "0, 14, 2, true, 160000, 8000, 1441, 576",
            "0, 8, 0, false, 64000, 11025, 417, 576"})
    void readsBitrateSampleRateAndLengthFromTheTables(int version, int bitrateIndex, int rateIndex, boolean padded,
                                                      int bitrate, int sampleRate, int length, int samples) {
        Frame frame = parse(header(version, bitrateIndex, rateIndex, padded, STEREO));

        assertEquals(bitrate, frame.bitrate());
        assertEquals(sampleRate, frame.sampleRate());
        assertEquals(length, frame.length());
        assertEquals(samples, frame.samples());
        assertTrue(frame.length() <= Mp3Frames.MAX_FRAME_LENGTH);
    }

    @Test
    void saysItsVersionChannelsAndCrc() {
        assertEquals(Version.MPEG_1, parse(header(MPEG_1, 9, 0, false, STEREO)).version());
        assertEquals(Version.MPEG_2, parse(header(MPEG_2, 9, 0, false, STEREO)).version());
        assertEquals(Version.MPEG_2_5, parse(header(MPEG_2_5, 9, 0, false, STEREO)).version());
        assertTrue(parse(header(MPEG_1, 9, 0, false, MONO)).mono());
        assertFalse(parse(header(MPEG_1, 9, 0, false, 0b01)).mono(), "joint stereo");
        assertFalse(parse(header(MPEG_1, 9, 0, false, STEREO)).crc());
        byte[] withCrc = header(MPEG_1, 9, 0, false, STEREO);
        withCrc[1] &= (byte) 0xFE;
        assertTrue(parse(withCrc).crc());
    }

    @Test
    void aFramePlaysItsSamplesAtItsSampleRate() {
        // 1152 / 44100 s = 26.122448... ms; 576 / 8000 s = 72 ms
        assertEquals(26_122_448, parse(header(MPEG_1, 9, 0, false, STEREO)).durationNanos());
        assertEquals(72_000_000, parse(header(MPEG_2_5, 1, 2, false, STEREO)).durationNanos());
        // the bytes of a second of 64 kbit/s frames come to 8,000 (padding keeps the average exact)
        Frame plain = parse(header(MPEG_1, 5, 0, false, STEREO));
        Frame padded = parse(header(MPEG_1, 5, 0, true, STEREO));
        double perSecond = (plain.length() * 0.02 + padded.length() * 0.98) / (plain.durationNanos() / 1e9);
        assertEquals(8000, perSecond, 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "no frame sync, FF, 7B, 90, 00",
            "half a frame sync, FF, 1B, 90, 00",
            "reserved version, FF, EB, 90, 00",
            "Layer II, FF, FD, 90, 00",
            "Layer I, FF, FF, 90, 00",
            "reserved layer, FF, F9, 90, 00",
            "free format, FF, FB, 00, 00",
            "bad bitrate, FF, FB, F0, 00",
            "reserved sample rate, FF, FB, 9C, 00",
            "reserved emphasis, FF, FB, 90, 02",
            "text, 54, 41, 47, 20"})
    void refusesWhatIsNotALayerIIIHeader(String what, String b1, String b2, String b3, String b4) {
        byte[] bytes = {(byte) Integer.parseInt(b1, 16), (byte) Integer.parseInt(b2, 16),
                (byte) Integer.parseInt(b3, 16), (byte) Integer.parseInt(b4, 16)};
        assertEquals(Optional.empty(), Mp3Frames.header(bytes, 0), what);
    }

    @Test
    void readsAHeaderAtAnOffset() {
        byte[] bytes = new byte[10];
        System.arraycopy(header(MPEG_1, 9, 0, false, STEREO), 0, bytes, 6, 4);
        assertEquals(Optional.empty(), Mp3Frames.header(bytes, 0));
        assertEquals(128_000, Mp3Frames.header(bytes, 6).orElseThrow().bitrate());
    }

    @Test
    void measuresAnId3v2TagFromItsSynchsafeSize() {
        // size 0x00 0x00 0x02 0x01: 7 bits a byte, so 2 * 128 + 1 = 257
        byte[] tag = {'I', 'D', '3', 4, 0, 0, 0, 0, 2, 1};
        assertEquals(10 + 257, Mp3Frames.id3v2Length(tag, 0));
        tag[5] = 0x10; // a footer follows
        assertEquals(10 + 257 + 10, Mp3Frames.id3v2Length(tag, 0));
    }

    @Test
    void findsNoId3v2TagWhereThereIsNone() {
        assertEquals(0, Mp3Frames.id3v2Length(new byte[] {'T', 'A', 'G', 4, 0, 0, 0, 0, 2, 1}, 0));
        assertEquals(0, Mp3Frames.id3v2Length(new byte[] {'I', 'D', '3', 4, 0, 0, 0, (byte) 0x80, 2, 1}, 0),
                "a size byte with its top bit set is not synchsafe");
        assertEquals(0, Mp3Frames.id3v2Length(new byte[] {'I', 'D', '3', (byte) 0xFF, 0, 0, 0, 0, 2, 1}, 0));
        byte[] frame = new byte[10];
        System.arraycopy(header(MPEG_1, 9, 0, false, STEREO), 0, frame, 0, 4);
        assertEquals(0, Mp3Frames.id3v2Length(frame, 0));
    }

    @Test
    void recognisesXingInfoAndVbriFramesWhereTheSideInformationEnds() {
        // MPEG-1 stereo: 32 bytes of side information; mono: 17; MPEG-2 mono: 9
        assertTrue(isInfo(MPEG_1, STEREO, 4 + 32, "Info"));
        assertTrue(isInfo(MPEG_1, MONO, 4 + 17, "Xing"));
        assertTrue(isInfo(MPEG_2, STEREO, 4 + 17, "Info"));
        assertTrue(isInfo(MPEG_2, MONO, 4 + 9, "Xing"));
        assertTrue(isInfo(MPEG_1, STEREO, 4 + 32, "VBRI"));
        assertFalse(isInfo(MPEG_1, STEREO, 4 + 17, "Info"), "at a mono frame's place in a stereo frame");
        assertFalse(isInfo(MPEG_1, STEREO, 4 + 32, "Audi"));
    }

    private static boolean isInfo(int version, int channels, int at, String tag) {
        byte[] head = header(version, 9, 0, false, channels);
        Frame frame = parse(head);
        byte[] bytes = new byte[frame.length()];
        System.arraycopy(head, 0, bytes, 0, 4);
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) tag.charAt(i);
        }
        return Mp3Frames.isInfoFrame(bytes, 0, frame);
    }

    @Test
    void walksAnMp3FileThatFfmpegMade(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tone.mp3");
        assumeTrue(ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3",
                "-c:a", "libmp3lame", "-b:a", "64k", file.toString()), "ffmpeg with libmp3lame is needed");
        byte[] bytes = Files.readAllBytes(file);

        int at = Mp3Frames.id3v2Length(bytes, 0);
        assertTrue(at > 0, "ffmpeg writes an ID3v2 tag first");
        List<Frame> frames = new ArrayList<>();
        boolean first = true;
        while (at + Mp3Frames.HEADER_LENGTH <= bytes.length) {
            Frame frame = Mp3Frames.header(bytes, at).orElseThrow(() -> new AssertionError("lost sync"));
            if (first) {
                assertTrue(Mp3Frames.isInfoFrame(bytes, at, frame), "LAME's Info frame comes first");
                first = false;
            } else {
                assertFalse(Mp3Frames.isInfoFrame(bytes, at, frame));
                frames.add(frame);
            }
            at += frame.length();
        }

        assertEquals(bytes.length, at, "the frames end exactly where the file does");
        assertTrue(frames.stream().allMatch(f -> f.bitrate() == 64_000 && f.sampleRate() == 44_100));
        long nanos = frames.stream().mapToLong(Frame::durationNanos).sum();
        assertEquals(3.0, nanos / 1e9, 0.1, "three seconds of audio (plus the encoder's delay)");
    }

    private static boolean ffmpeg(String... arguments) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
