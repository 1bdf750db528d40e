package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * MP3 files from the data directory (file fallbacks) are walked frame by frame with these readers.
 * Any bytes at all: no exception while the documented bytes are there, a frame that is found has a
 * length that moves the walk forward and a positive duration, an ID3v2 length is never negative.
 */
class Mp3FramesFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void readsAnyBytesWithoutThrowingAndFramesMoveForward(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        for (int offset = 0; offset + Mp3Frames.HEADER_LENGTH <= bytes.length; offset++) {
            Optional<Mp3Frames.Frame> frame = Mp3Frames.header(bytes, offset);
            if (frame.isPresent()) {
                Mp3Frames.Frame f = frame.get();
                assertTrue(f.length() >= Mp3Frames.HEADER_LENGTH, "a frame shorter than its header: " + f);
                assertTrue(f.durationNanos() > 0, "a frame without duration: " + f);
                if (offset + f.length() <= bytes.length) {
                    Mp3Frames.isInfoFrame(bytes, offset, f);
                }
            }
            if (offset + Mp3Frames.ID3V2_HEADER_LENGTH <= bytes.length) {
                assertTrue(Mp3Frames.id3v2Length(bytes, offset) >= 0);
            }
        }
    }
}
