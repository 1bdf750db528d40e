package org.tinyice.domain.icy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The other direction of {@link IcyInterleaver}: takes a stream that an upstream server sent with
 * {@code icy-metaint: N} (because we asked with {@code Icy-MetaData: 1}) and separates the audio from
 * the metadata blocks. After every {@code metaint} audio bytes comes a length byte {@code L}, then
 * {@code L * 16} bytes of text such as {@code StreamTitle='Artist - Title';}, NUL padded.
 *
 * <p>Reads can split anywhere (inside the audio, between length byte and text, inside the text), so
 * this is a small state machine fed slice by slice. A block can be at most 255 * 16 bytes, so the
 * buffer is bounded whatever the upstream sends. Not thread-safe: one per upstream connection.
 */
public final class IcyDeinterleaver {

    private static final int MAX_BLOCK_LENGTH = 255 * 16;
    private static final String KEY = "StreamTitle='";

    /**
     * A metadata block that is not one: its text does not start with a {@code Key='} pair, or bytes other
     * than NUL padding follow the text. That happens when a length byte points past the metadata (the
     * block swallowed audio) or short of it (the next "length byte" is audio): from there on the stream
     * is out of step with {@code icy-metaint}, and every later block would be audio taken for text.
     */
    public static final class OutOfStep extends IOException {
        OutOfStep(String message) {
            super(message);
        }
    }

    private final int metaint;
    private final byte[] block = new byte[MAX_BLOCK_LENGTH];
    /** Audio bytes before the next length byte; -1 while a length byte is awaited; -2 inside a block. */
    private int untilBlock;
    private int blockLength;
    private int blockFilled;

    public IcyDeinterleaver(int metaint) {
        if (metaint <= 0) {
            throw new IllegalArgumentException("metaint must be positive: " + metaint);
        }
        this.metaint = metaint;
        this.untilBlock = metaint;
    }

    /**
     * Separates {@code length} bytes as they came from the upstream.
     *
     * @param audio  receives the audio, as slices of {@code wire} in order
     * @param titles receives the title of every block that carries a {@code StreamTitle}
     * @throws OutOfStep when a block is not metadata; the stream cannot be read further
     */
    public void accept(byte[] wire, int offset, int length, IcyInterleaver.SliceSink audio, Consumer<String> titles)
            throws OutOfStep {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (untilBlock > 0) {
                int run = Math.min(untilBlock, end - position);
                audio.accept(wire, position, run);
                position += run;
                untilBlock -= run;
                if (untilBlock == 0) {
                    untilBlock = -1;
                }
            } else if (untilBlock == -1) {
                blockLength = (wire[position++] & 0xFF) * 16;
                blockFilled = 0;
                untilBlock = blockLength == 0 ? metaint : -2; // a zero length byte: nothing changed
            } else {
                int run = Math.min(blockLength - blockFilled, end - position);
                System.arraycopy(wire, position, block, blockFilled, run);
                position += run;
                blockFilled += run;
                if (blockFilled == blockLength) {
                    checkInStep(block, blockLength);
                    streamTitle(block, blockLength).ifPresent(titles);
                    untilBlock = metaint;
                }
            }
        }
    }

    /**
     * Where a de-interleaver stands between two reads: a take-over hands it to the new process with the
     * upstream's connection, whose next byte is the one this would have read next.
     *
     * @param untilBlock audio bytes before the next length byte; -1 when a length byte comes next; -2 inside
     *                   a block
     * @param blockSoFar inside a block, the part of it read so far
     */
    public record State(int metaint, int untilBlock, int blockLength, byte[] blockSoFar) {
    }

    public State state() {
        return new State(metaint, untilBlock, blockLength,
                untilBlock == -2 ? java.util.Arrays.copyOf(block, blockFilled) : new byte[0]);
    }

    /**
     * A de-interleaver that goes on from {@code state}, as the old process's would have.
     *
     * @throws IllegalArgumentException if {@code state} is not one a de-interleaver can be in
     */
    public static IcyDeinterleaver resume(State state) {
        IcyDeinterleaver resumed = new IcyDeinterleaver(state.metaint());
        boolean inBlock = state.untilBlock() == -2;
        if (state.untilBlock() < -2 || state.untilBlock() > state.metaint()
                || (inBlock && (state.blockLength() <= 0 || state.blockLength() > MAX_BLOCK_LENGTH
                        || state.blockSoFar().length >= state.blockLength()))
                || (!inBlock && state.blockSoFar().length != 0)) {
            throw new IllegalArgumentException("not a de-interleaver's state: until block " + state.untilBlock()
                    + ", block " + state.blockSoFar().length + " of " + state.blockLength());
        }
        resumed.untilBlock = state.untilBlock() == 0 ? -1 : state.untilBlock();
        resumed.blockLength = state.blockLength();
        resumed.blockFilled = state.blockSoFar().length;
        System.arraycopy(state.blockSoFar(), 0, resumed.block, 0, resumed.blockFilled);
        return resumed;
    }

    /** Whether the stream ended here would cut a metadata block short. */
    public boolean insideBlock() {
        return untilBlock == -2;
    }

    private static void checkInStep(byte[] block, int length) throws OutOfStep {
        int key = 0;
        while (key < length && (Character.isLetterOrDigit(block[key]) || block[key] == '_' || block[key] == '-')) {
            key++;
        }
        if (key == 0 || key + 1 >= length || block[key] != '=' || block[key + 1] != '\'') {
            throw new OutOfStep("a metadata block of " + length + " bytes that does not start with Key='...'");
        }
        int nul = key;
        while (nul < length && block[nul] != 0) {
            nul++;
        }
        for (int i = nul; i < length; i++) {
            if (block[i] != 0) {
                throw new OutOfStep("a metadata block of " + length + " bytes with other bytes after its text"
                        + " at " + i + " (its length byte pointed past the metadata)");
            }
        }
    }

    /**
     * The {@code StreamTitle} of a metadata block, if it has one. The title ends at the first
     * {@code ';} (Icecast does not escape quotes, so {@code It's} stays whole); a block cut short, or
     * whose end quote is missing, ends at its first NUL. UTF-8 when the bytes are valid UTF-8, else
     * Latin-1 (older SHOUTcast sources send that).
     */
    public static Optional<String> streamTitle(byte[] block, int length) {
        int text = length;
        for (int i = 0; i < length; i++) {
            if (block[i] == 0) {
                text = i;
                break;
            }
        }
        int start = indexOf(block, text, KEY.getBytes(StandardCharsets.US_ASCII), 0);
        if (start < 0) {
            return Optional.empty();
        }
        start += KEY.length();
        int stop = indexOf(block, text, new byte[] {'\'', ';'}, start);
        if (stop < 0) {
            stop = text;
        }
        return Optional.of(decode(block, start, stop - start));
    }

    private static int indexOf(byte[] data, int limit, byte[] needle, int from) {
        outer:
        for (int i = from; i <= limit - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String decode(byte[] data, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return new String(data, offset, length, StandardCharsets.ISO_8859_1);
        }
    }
}
