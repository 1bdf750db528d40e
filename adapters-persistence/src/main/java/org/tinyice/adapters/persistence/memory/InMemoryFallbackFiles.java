package org.tinyice.adapters.persistence.memory;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tinyice.application.port.out.FallbackFiles;

/** Fallback files held in memory, by mount path, for tests and for running without a data directory. */
public final class InMemoryFallbackFiles implements FallbackFiles {

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** Adds (or replaces) the file that plays as {@code mountPath}; ignored unless the path names an audio file. */
    public InMemoryFallbackFiles put(String mountPath, byte[] content) {
        files.put(mountPath, content.clone());
        return this;
    }

    @Override
    public Optional<FallbackFile> find(String mountPath) {
        byte[] content = files.get(mountPath);
        return content == null ? Optional.empty() : FallbackFiles.contentTypeOf(mountPath)
                .map(type -> new FallbackFile(mountPath, type, () -> new ByteArrayInputStream(content)));
    }
}
