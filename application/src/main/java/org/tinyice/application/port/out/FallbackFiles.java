package org.tinyice.application.port.out;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tinyice.domain.mount.MountPath;

/**
 * Audio files that TinyIce itself plays as a mount, in a loop, when a fallback names that mount and
 * no source streams there (e.g. fallback {@code /silence.mp3} and {@code silence.mp3} in the data
 * directory).
 */
public interface FallbackFiles {

    /**
     * The file that plays as {@code mountPath}: only a valid mount path with an audio file name
     * ({@link #contentTypeOf}), and never anything outside the place the adapter keeps its files.
     */
    Optional<FallbackFile> find(String mountPath);

    /**
     * @param contentType what listeners are told, from the file's name
     * @param opener      opens the file at its first byte; each turn of the loop opens it again
     */
    record FallbackFile(String mountPath, String contentType, Opener opener) {
        public InputStream open() throws IOException {
            return opener.open();
        }
    }

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** No files at all. */
    FallbackFiles NONE = mountPath -> Optional.empty();

    /** The formats a file can play in, by its name's ending: streams a player can join at any point. */
    Map<String, String> CONTENT_TYPES = Map.of(
            ".mp3", "audio/mpeg",
            ".aac", "audio/aac",
            ".ogg", "application/ogg",
            ".oga", "audio/ogg",
            ".opus", "audio/ogg");

    /**
     * The content type a file plays with, or empty when the path is not a valid mount or its name
     * does not end in a known audio type (so the database or the configuration never plays).
     */
    static Optional<String> contentTypeOf(String mountPath) {
        if (!MountPath.isValid(mountPath)) {
            return Optional.empty();
        }
        String name = mountPath.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 || name.lastIndexOf('/') > dot ? Optional.empty()
                : Optional.ofNullable(CONTENT_TYPES.get(name.substring(dot)));
    }
}
