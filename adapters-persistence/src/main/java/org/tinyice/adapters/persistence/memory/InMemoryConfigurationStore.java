package org.tinyice.adapters.persistence.memory;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ConfigurationStore;

/**
 * A configuration kept in memory only, for tests and for running without a file. Nothing survives
 * the process. Safe for use from several threads: {@link ServerConfig} is immutable, so holding the
 * last saved instance is enough, and a save replaces it whole.
 */
public final class InMemoryConfigurationStore implements ConfigurationStore {

    private final AtomicReference<ServerConfig> saved = new AtomicReference<>();

    /** An empty store, as on a first start. */
    public InMemoryConfigurationStore() {
    }

    /** A store that already holds {@code initial}. */
    public InMemoryConfigurationStore(ServerConfig initial) {
        saved.set(Objects.requireNonNull(initial, "initial"));
    }

    @Override
    public Optional<ServerConfig> load() {
        return Optional.ofNullable(saved.get());
    }

    @Override
    public void save(ServerConfig config) {
        saved.set(Objects.requireNonNull(config, "config"));
    }

    @Override
    public String location() {
        return "memory";
    }
}
