package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A source sends whatever bytes it likes as "Ogg". Whatever they are and however the reads split
 * them, the assembler must not throw and must pass the stream through unaltered (it only decides
 * where chunks begin): what it published is the input, up to a tail it still holds because it may be
 * the start of a page (at most one page's greatest length; an incomplete page at the very end of a
 * source is not sent on, as no decoder could use it). Run with {@code scripts/fuzz.sh}; {@code ./test.sh} replays the inputs in
 * {@code OggPageAssemblerFuzzTestInputs}.
 */
class OggPageAssemblerFuzzTest {

    /** A 27-byte header, 255 segment lengths of at most 255 bytes each. */
    private static final int MAX_PAGE_LENGTH = 27 + 255 + 255 * 255;

    @FuzzTest(maxDuration = "2m")
    void passesAnyInputThroughUnalteredHoweverItIsSplit(FuzzedDataProvider data) {
        int targetBytes = data.consumeInt(1, 4096);
        int maxSlice = data.consumeInt(1, 5000);
        byte[] sliceSeeds = data.consumeBytes(64);
        byte[] input = data.consumeRemainingAsBytes();

        StreamRing ring = new StreamRing(1 << 16);
        OggPageAssembler assembler = new OggPageAssembler(ring, new ChunkPolicy(targetBytes, 1_000_000_000L));
        int position = 0;
        int slice = 0;
        while (position < input.length) {
            int seed = sliceSeeds.length == 0 ? maxSlice : (sliceSeeds[slice++ % sliceSeeds.length] & 0xFF) + 1;
            int length = Math.min(input.length - position, Math.min(seed * 37 % maxSlice + 1, maxSlice));
            assembler.accept(input, position, length, 0);
            position += length;
        }
        assembler.flush();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long s = 0; s < ring.head(); s++) {
            out.writeBytes(ring.slot(s).bytes());
        }
        byte[] published = out.toByteArray();
        assertTrue(published.length <= input.length, "more out than in");
        assertArrayEquals(Arrays.copyOf(input, published.length), published, "the stream must pass through unaltered");
        int held = input.length - published.length;
        assertTrue(held <= MAX_PAGE_LENGTH, held + " bytes held back");
        if (held > 3) {
            assertEquals('O', input[published.length], "only what may be a page is held back");
        }
    }
}
