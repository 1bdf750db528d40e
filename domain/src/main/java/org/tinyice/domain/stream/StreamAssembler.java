package org.tinyice.domain.stream;

import java.util.function.Supplier;

/**
 * Turns the bytes a source sends, in whatever sizes its socket reads return, into the chunks a
 * ring publishes. Encoders write small frames (ffmpeg: ~418 bytes every 26 ms at 128 kbit/s);
 * publishing each would wake every listener 40 times a second, so bytes are gathered first.
 * Single-threaded: the source's own thread.
 */
public sealed interface StreamAssembler permits ByteChunkAssembler, OggPageAssembler {

    /** Takes bytes the source sent; may publish zero or more chunks. */
    void accept(byte[] data, int offset, int length, long nowNanos);

    /** Publishes whatever is complete and still held back (the source left). */
    void flush();

    /**
     * The source moves to another process (a take-over): publishes what is complete and returns, not
     * published, what is not yet (the first part of an Ogg page, codec header pages still being gathered).
     * The other process's assembler is given those bytes first, so the stream's units stay whole.
     */
    byte[] release();

    /**
     * Publishes what is held back if its first byte has waited the policy's delay. Called from a
     * timer, because an encoder that pauses sends no more reads that would trigger it.
     */
    void flushIfDue(long nowNanos);

    /** The assembler that keeps a stream of this format intact; {@code policy} is asked at every read. */
    static StreamAssembler forFormat(StreamFormat format, StreamRing ring, Supplier<ChunkPolicy> policy) {
        return format == StreamFormat.OGG
                ? new OggPageAssembler(ring, policy)
                : new ByteChunkAssembler(ring, policy);
    }
}
