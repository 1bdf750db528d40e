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

    /**
     * Whether a source may declare this {@code Content-Type}: {@code audio/*}, {@code video/*},
     * {@code application/ogg} (and {@code x-ogg}) or {@code application/octet-stream}, any case, with
     * any parameters. Icecast passes every type through, but TinyIce serves streams on the origin of
     * its logged-in dashboard, where a {@code text/html} "stream" would run its script as the admin.
     */
    public static boolean isStreamable(String contentType) {
        if (contentType == null) {
            return false;
        }
        for (int i = 0; i < contentType.length(); i++) {
            char c = contentType.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                return false;
            }
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        int slash = media.indexOf('/');
        if (slash < 0 || !isToken(media.substring(0, slash)) || !isToken(media.substring(slash + 1))) {
            return false;
        }
        String type = media.substring(0, slash);
        return type.equals("audio") || type.equals("video") || switch (media) {
            case "application/ogg", "application/x-ogg", "application/octet-stream" -> true;
            default -> false;
        };
    }

    /** RFC 9110 5.6.2: what a media type's type and subtype are made of. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** ICY in-stream metadata would corrupt an Ogg stream, so Icecast never sends it there. */
    public boolean carriesIcyMetadata() {
        return this == RAW;
    }
}
