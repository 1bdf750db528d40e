package org.tinyice.domain.stream;

import java.util.Locale;

/**
 * What TinyIce needs to know about a stream's format. Audio is passed through untouched; only Ogg
 * needs care (page-aligned chunks, codec headers for late joiners, no ICY metadata).
 */
public enum StreamFormat {
    /** MP3, AAC and anything else that is a plain byte stream decoders can resync in. */
    RAW,
    /** Ogg Vorbis, Opus, FLAC (and anything else in an Ogg container). */
    OGG;

    /** The format a source's {@code Content-Type} announces. */
    public static StreamFormat fromContentType(String contentType) {
        if (contentType == null) {
            return RAW;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon);
        }
        type = type.trim();
        return switch (type) {
            case "application/ogg", "audio/ogg", "video/ogg", "audio/opus", "audio/vorbis", "audio/x-ogg",
                 "application/x-ogg" -> OGG;
            default -> RAW;
        };
    }

    /** ICY in-stream metadata would corrupt an Ogg stream, so Icecast never sends it there. */
    public boolean carriesIcyMetadata() {
        return this == RAW;
    }
}
