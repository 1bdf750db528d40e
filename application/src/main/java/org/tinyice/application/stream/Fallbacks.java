package org.tinyice.application.stream;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;

/**
 * Follows a mount's {@code fallback} chain (A -> B -> C) to the first mount that is live now, or that
 * plays from a file ({@link FileMounts}: started then, if need be). Loops are refused when the
 * configuration is read; the visited set only guards against a configuration swapped in by other means.
 */
public final class Fallbacks {

    private final Supplier<ServerConfig> config;
    private final FileMounts files;
    /** Starts an on-demand relay for its first listener ({@link Relays}); none until relays are wired. */
    private volatile Function<String, Optional<Mount>> onDemand = path -> Optional.empty();

    /** Fallbacks to live mounts only: no file ever plays. */
    public Fallbacks(MountRegistry mounts, Supplier<ServerConfig> config) {
        this(config, FileMounts.none(mounts, config));
    }

    Fallbacks(Supplier<ServerConfig> config, FileMounts files) {
        this.config = config;
        this.files = files;
    }

    /**
     * The mount that serves {@code path} itself: its source's, the file that plays as it, or the
     * on-demand relay that connects for it now (the caller waits, bounded, for its first audio).
     */
    public Optional<Mount> mountFor(String path) {
        return files.serve(path).or(() -> onDemand.apply(path));
    }

    /** Relays that connect for their first listener. */
    void onDemand(Function<String, Optional<Mount>> starter) {
        this.onDemand = starter;
    }

    /** The first live (or file) mount along {@code path}'s fallback chain, not counting {@code path} itself. */
    public Optional<Mount> liveFallbackOf(String path) {
        ServerConfig now = config.get();
        Set<String> visited = new HashSet<>();
        visited.add(path);
        Optional<String> next = now.mount(path).fallback();
        while (next.isPresent() && visited.add(next.get())) {
            Optional<Mount> live = files.serve(next.get());
            if (live.isPresent()) {
                return live;
            }
            next = now.mount(next.get()).fallback();
        }
        return Optional.empty();
    }
}
