package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tinyice.application.stream.Mp3Fixtures.FRAME_LENGTH;
import static org.tinyice.application.stream.Mp3Fixtures.FRAME_NANOS;
import static org.tinyice.application.stream.Mp3Fixtures.concat;
import static org.tinyice.application.stream.Mp3Fixtures.frames;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileAudioTest {

    private static final long STRETCH = 100_000_000L;

    /** Everything one turn through the file gives, and how long each stretch plays. */
    private record Turn(byte[] bytes, List<Long> stretches) {
        long nanos() {
            return stretches.stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Turn readAll(FileAudio audio) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Long> stretches = new ArrayList<>();
        ByteArrayOutputStream stretch = new ByteArrayOutputStream();
        while (true) {
            stretch.reset();
            long nanos = audio.read(stretch, STRETCH);
            if (nanos == 0) {
                assertEquals(0, stretch.size(), "nothing without duration");
                return new Turn(all.toByteArray(), stretches);
            }
            stretches.add(nanos);
            all.writeBytes(stretch.toByteArray());
        }
    }

    private static FileAudio mp3(byte[] file) {
        return FileAudio.of("audio/mpeg", new ByteArrayInputStream(file), 128);
    }

    @Test
    void mp3ComesInWholeFramesAtLeastAStretchLongEachCountedAtItsDuration() throws IOException {
        Turn turn = readAll(mp3(frames(10)));

        assertArrayEquals(frames(10), turn.bytes());
        // 100 ms takes 3 frames of 36 ms; the tenth frame is the end of the file
        assertEquals(List.of(3 * FRAME_NANOS, 3 * FRAME_NANOS, 3 * FRAME_NANOS, FRAME_NANOS), turn.stretches());
    }

    @Test
    void aTurnStartedWhereAnotherStoppedGivesTheRestOfTheFileFromTheNextFrame() throws IOException {
        byte[] file = concat(Mp3Fixtures.id3v2(300), Mp3Fixtures.infoFrame(), frames(10));
        FileAudio first = mp3(file);
        ByteArrayOutputStream heard = new ByteArrayOutputStream();
        first.read(heard, STRETCH);
        first.read(heard, STRETCH);
        long position = first.position();
        assertEquals(file.length - 4 * FRAME_LENGTH, position, "after the six frames given out");

        // a take-over's new process opens the file at that position
        Turn rest = readAll(FileAudio.of("audio/mpeg", new ByteArrayInputStream(file), 128, position));
        heard.writeBytes(rest.bytes());
        assertArrayEquals(frames(10), heard.toByteArray(), "every frame once, in order");
    }

    @Test
    void otherFormatsStartedWhereAnotherStoppedGoOnFromThatByte() throws IOException {
        byte[] file = new byte[50_000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        FileAudio first = FileAudio.of("application/ogg", new ByteArrayInputStream(file), 128);
        ByteArrayOutputStream heard = new ByteArrayOutputStream();
        first.read(heard, STRETCH);
        Turn rest = readAll(FileAudio.of("application/ogg", new ByteArrayInputStream(file), 128, first.position()));
        heard.writeBytes(rest.bytes());
        assertArrayEquals(file, heard.toByteArray());
    }

    @Test
    void anId3v2TagAndTheEncodersInfoFrameAreLeftOut() throws IOException {
        Turn turn = readAll(mp3(concat(Mp3Fixtures.id3v2(300), Mp3Fixtures.infoFrame(), frames(5))));

        assertArrayEquals(frames(5), turn.bytes());
        assertEquals(5 * FRAME_NANOS, turn.nanos());
    }

    @Test
    void aTagLargerThanTheReadBufferIsSkippedWhole() throws IOException {
        // cover art makes tags of hundreds of kilobytes
        Turn turn = readAll(mp3(concat(Mp3Fixtures.id3v2(300_000), frames(4))));

        assertArrayEquals(frames(4), turn.bytes());
    }

    @Test
    void bytesBetweenFramesAndAnId3v1TagAtTheEndAreSkipped() throws IOException {
        byte[] junk = {0x12, (byte) 0xFF, (byte) 0xFB, 0x58, 0x00, 0x34}; // a header no frame follows
        byte[] id3v1 = new byte[128];
        System.arraycopy("TAGTitle".getBytes(StandardCharsets.US_ASCII), 0, id3v1, 0, 8);

        Turn turn = readAll(mp3(concat(frames(3), junk, frames(2), id3v1)));

        assertArrayEquals(concat(frames(3), frames(2)), turn.bytes());
        assertEquals(5 * FRAME_NANOS, turn.nanos());
    }

    @Test
    void aFrameCutShortByTheEndOfTheFileIsLeftOut() throws IOException {
        byte[] file = concat(frames(3), java.util.Arrays.copyOf(Mp3Fixtures.frame(9), FRAME_LENGTH - 10));

        assertArrayEquals(frames(3), readAll(mp3(file)).bytes());
    }

    @Test
    void framesSplitAcrossReadsComeOutWhole() throws IOException {
        byte[] file = concat(Mp3Fixtures.id3v2(50), Mp3Fixtures.infoFrame(), frames(20));
        InputStream trickle = new ByteArrayInputStream(file) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7)); // a slow disk, or a pipe
            }
        };

        Turn turn = readAll(FileAudio.of("audio/mpeg", trickle, 128));

        assertArrayEquals(frames(20), turn.bytes());
    }

    @Test
    void aFileWithoutFramesHasNoAudio() throws IOException {
        byte[] text = "not an mp3 at all, just text".repeat(100).getBytes(StandardCharsets.US_ASCII);

        assertEquals(0, readAll(mp3(text)).stretches().size());
    }

    @Test
    void otherFormatsComeAtTheirSetBitrate() throws IOException {
        byte[] file = new byte[5000];
        java.util.Arrays.fill(file, (byte) 7);

        Turn turn = readAll(FileAudio.of("application/ogg", new ByteArrayInputStream(file), 128));

        assertArrayEquals(file, turn.bytes());
        // 128 kbit/s is 16,000 bytes a second: 1,600 bytes per 100 ms, and 200 left for 12.5 ms
        assertEquals(List.of(STRETCH, STRETCH, STRETCH, 12_500_000L), turn.stretches());
    }
}
