package org.tinyice.domain.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A ring carried to another process (a take-over): same sequences, same bytes, cursors go on. */
class StreamRingContinuationTest {

    @Test
    void aContinuedRingHoldsTheRetainedChunksAtTheirSequencesAndGoesOnFromTheHead() {
        StreamRing old = new StreamRing(4);
        for (int i = 0; i < 6; i++) {
            old.title("song " + i);
            old.publish(new byte[] {(byte) i}, 0, 1);
        }
        List<Chunk> retained = old.retained();
        assertEquals(List.of(2L, 3L, 4L, 5L), retained.stream().map(Chunk::sequence).toList(), "the last 4, oldest first");

        StreamRing continued = StreamRing.continuing(4, old.head(), retained);
        assertEquals(6, continued.head());
        RingCursor cursor = new RingCursor(continued, 4);
        assertArrayEquals(new byte[] {4}, cursor.next().bytes());
        assertEquals("song 5", cursor.next().title());
        assertNull(cursor.next(), "caught up");
        continued.publish(new byte[] {6}, 0, 1);
        Chunk next = cursor.next();
        assertEquals(6, next.sequence(), "the next chunk follows the old ring's numbering");
        assertEquals(0, cursor.laps());
        assertEquals(4, continued.burstStart(3), "a new listener still gets its burst from the carried chunks");
    }

    @Test
    void chunksOutsideTheRingAreRefused() {
        StreamRing old = new StreamRing(4);
        old.publish(new byte[] {1}, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> StreamRing.continuing(4, 0, old.retained()));
    }

    @Test
    void aCursorCarriedOverKeepsItsLaps() {
        assertEquals(2, new RingCursor(new StreamRing(4), 0, 2).laps());
    }
}
