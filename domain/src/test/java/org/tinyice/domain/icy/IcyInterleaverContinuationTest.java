package org.tinyice.domain.icy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** An interleaver split across two processes writes exactly what one would have written. */
class IcyInterleaverContinuationTest {

    @Test
    void stoppingAnywhereAndContinuingElsewhereGivesTheSameBytes() {
        byte[] audio = new byte[100];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        IcyInterleaver one = new IcyInterleaver(16);
        one.interleave(audio, 0, 40, "first", whole::write);
        one.interleave(audio, 40, 60, "second", whole::write);

        ByteArrayOutputStream split = new ByteArrayOutputStream();
        IcyInterleaver before = new IcyInterleaver(16);
        before.interleave(audio, 0, 40, "first", split::write);
        IcyInterleaver after = IcyInterleaver.continuing(16, before.untilBlock(), before.lastTitle());
        after.interleave(audio, 40, 60, "second", split::write);

        assertArrayEquals(whole.toByteArray(), split.toByteArray());
    }

    @Test
    void anImpossiblePhaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IcyInterleaver.continuing(16, 0, null));
        assertThrows(IllegalArgumentException.class, () -> IcyInterleaver.continuing(16, 17, null));
    }
}
