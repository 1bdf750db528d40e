package org.tinyice.domain.stream;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Ogg pages that identify a stream's codec (OpusHead + OpusTags, or Vorbis' three header
 * packets, or FLAC's), kept so that a listener who joins mid-stream can be sent them first: an
 * Ogg decoder cannot start without them.
 *
 * @param firstSequence the ring sequence of the chunk that holds exactly these pages
 * @param pages         the header pages, back to back
 */
public record CodecHeaders(long firstSequence, byte[] pages) {

    /**
     * Whether a listener whose first chunk is {@code start} must be sent these pages before it:
     * true unless it starts at (or before) the header chunk itself.
     */
    public boolean neededBefore(Chunk start) {
        return start.sequence() > firstSequence;
    }

    /** The codec these headers announce, as Icecast names it in status ({@code subtype}). */
    public Optional<String> codec() {
        String text = new String(pages, StandardCharsets.ISO_8859_1);
        if (text.contains("OpusHead")) {
            return Optional.of("Opus");
        }
        if (text.contains("\u0001vorbis")) {
            return Optional.of("Vorbis");
        }
        if (text.contains("\u007fFLAC")) {
            return Optional.of("FLAC");
        }
        if (text.contains("Speex   ")) {
            return Optional.of("Speex");
        }
        if (text.contains("\u0080theora")) {
            return Optional.of("Theora");
        }
        return Optional.empty();
    }
}
