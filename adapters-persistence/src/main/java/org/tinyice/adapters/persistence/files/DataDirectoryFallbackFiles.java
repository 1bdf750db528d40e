package org.tinyice.adapters.persistence.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tinyice.application.port.out.FallbackFiles;

/**
 * Fallback files in the data directory: mount {@code /silence.mp3} plays {@code <data>/silence.mp3},
 * {@code /fallback/night.ogg} plays {@code <data>/fallback/night.ogg}. Only regular files with an
 * audio name ({@link FallbackFiles#contentTypeOf}) whose real location, links followed, is inside the
 * data directory: neither {@code ..} nor a symbolic link leads out of it.
 */
public final class DataDirectoryFallbackFiles implements FallbackFiles {

    private final Path directory;

    public DataDirectoryFallbackFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    @Override
    public Optional<FallbackFile> find(String mountPath) {
        Optional<String> contentType = FallbackFiles.contentTypeOf(mountPath);
        if (contentType.isEmpty()) {
            return Optional.empty();
        }
        Path candidate = directory.resolve(mountPath.substring(1)).normalize();
        if (!candidate.startsWith(directory) || !Files.isRegularFile(candidate)) {
            return Optional.empty();
        }
        Path real;
        try {
            real = candidate.toRealPath();
            if (!real.startsWith(directory.toRealPath())) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new FallbackFile(mountPath, contentType.get(), () -> Files.newInputStream(real)));
    }
}
