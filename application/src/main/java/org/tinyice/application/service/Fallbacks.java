package org.tinyice.application.service;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/**
 * Follows a mount's {@code fallback} chain (A -> B -> C) to the first mount that is live now. Loops
 * are refused when the configuration is read; the visited set only guards against a configuration
 * swapped in by other means.
 */
public final class Fallbacks {

    private final MountRegistry mounts;
    private final Supplier<ServerConfig> config;

    public Fallbacks(MountRegistry mounts, Supplier<ServerConfig> config) {
        this.mounts = mounts;
        this.config = config;
    }

    /** The first live mount along {@code path}'s fallback chain, not counting {@code path} itself. */
    public Optional<Mount> liveFallbackOf(String path) {
        ServerConfig now = config.get();
        Set<String> visited = new HashSet<>();
        visited.add(path);
        Optional<String> next = now.mount(path).fallback();
        while (next.isPresent() && visited.add(next.get())) {
            Optional<Mount> live = mounts.find(next.get());
            if (live.isPresent()) {
                return live;
            }
            next = now.mount(next.get()).fallback();
        }
        return Optional.empty();
    }
}
