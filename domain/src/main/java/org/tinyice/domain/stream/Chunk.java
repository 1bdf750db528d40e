package org.tinyice.domain.stream;

/**
 * One immutable piece of a mount's stream, as the source sent it.
 *
 * <p>Chunks are never modified after publication, so any number of listener threads may read one
 * without locks; the ring only swaps references. {@code title} is the now-playing title in force
 * when these bytes arrived: ICY metadata is tied to stream position, so a listener that is four
 * seconds behind (the burst) sees a new title four seconds after it was set, as with Icecast.
 *
 * @param sequence     position of this chunk in the ring's sequence (0, 1, 2, ...)
 * @param bytes        the audio bytes; never written to after publication
 * @param title        now-playing title when the bytes arrived; never null ("" for none)
 * @param headers      the Ogg codec header pages in force for these bytes, or null (not Ogg)
 */
public record Chunk(long sequence, byte[] bytes, String title, CodecHeaders headers) {

    public int length() {
        return bytes.length;
    }
}
