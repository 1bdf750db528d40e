package org.tinyice.domain.icy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A relay reads an upstream's interleaved stream; the upstream may send anything. The de-interleaver
 * must never throw, must give the same audio and titles however the reads split the wire, and must
 * give back exactly the audio and titles a well-formed wire was built from.
 */
class IcyDeinterleaverFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void anyWireGivesTheSameResultHoweverItIsSplit(FuzzedDataProvider data) {
        int metaint = data.consumeInt(1, 20_000);
        int slice = data.consumeInt(1, 9000);
        byte[] wire = data.consumeRemainingAsBytes();

        Separated whole = separateOrStop(metaint, wire, wire.length == 0 ? 1 : wire.length);
        Separated sliced = separateOrStop(metaint, wire, slice);

        // a block that is not metadata stops the reading, however the wire was split
        assertEquals(whole.outOfStep, sliced.outOfStep);
        if (!whole.outOfStep) {
            assertArrayEquals(whole.audio.toByteArray(), sliced.audio.toByteArray());
            assertEquals(whole.titles, sliced.titles);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void aWellFormedWireGivesBackItsAudioAndTitles(FuzzedDataProvider data) throws IcyDeinterleaver.OutOfStep {
        int metaint = data.consumeInt(1, 4096);
        int blocks = data.consumeInt(0, 8);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            byte[] run = data.consumeBytes(metaint);
            if (run.length < metaint) {
                break;
            }
            wire.writeBytes(run);
            audio.writeBytes(run);
            // the title ends at the first "';" and at a NUL: a title that holds neither comes back whole
            String title = data.consumeString(200).replace("\0", "");
            while (title.contains("';") || title.endsWith("'")) {
                title = title.replace("';", "");
                if (title.endsWith("'")) {
                    title = title.substring(0, title.length() - 1);
                }
            }
            byte[] text = ("StreamTitle='" + title + "';").getBytes(StandardCharsets.UTF_8);
            int length = (text.length + 15) / 16;
            wire.write(length);
            wire.writeBytes(text);
            wire.writeBytes(new byte[length * 16 - text.length]);
            // a lone surrogate cannot be sent as UTF-8: what arrives is what its bytes say
            titles.add(new String(title.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
        Separated separated = separate(metaint, wire.toByteArray(), data.consumeInt(1, 5000));

        assertArrayEquals(audio.toByteArray(), separated.audio.toByteArray());
        assertEquals(titles, separated.titles);
    }

    @FuzzTest(maxDuration = "1m")
    void readsATitleFromAnyBlock(FuzzedDataProvider data) {
        byte[] block = data.consumeRemainingAsBytes();
        IcyDeinterleaver.streamTitle(block, block.length);
    }

    // well-formed blocks never put the de-interleaver out of step: OutOfStep here is a failure
    private static Separated separate(int metaint, byte[] wire, int slice) throws IcyDeinterleaver.OutOfStep {
        IcyDeinterleaver deinterleaver = new IcyDeinterleaver(metaint);
        Separated out = new Separated();
        for (int position = 0; position < wire.length; position += slice) {
            deinterleaver.accept(wire, position, Math.min(slice, wire.length - position),
                    (bytes, offset, length) -> out.audio.write(bytes, offset, length), out.titles::add);
        }
        return out;
    }

    private static Separated separateOrStop(int metaint, byte[] wire, int slice) {
        try {
            return separate(metaint, wire, slice);
        } catch (IcyDeinterleaver.OutOfStep e) {
            Separated stopped = new Separated();
            stopped.outOfStep = true;
            return stopped;
        }
    }

    private static final class Separated {
        boolean outOfStep;
        final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        final List<String> titles = new ArrayList<>();
    }
}
