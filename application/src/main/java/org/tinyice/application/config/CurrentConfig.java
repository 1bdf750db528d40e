package org.tinyice.application.config;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The configuration in force; swapped whole on reload, read without locks. */
public final class CurrentConfig implements Supplier<ServerConfig> {

    private final AtomicReference<ServerConfig> current;

    public CurrentConfig(ServerConfig initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    @Override
    public ServerConfig get() {
        return current.get();
    }

    public void replace(ServerConfig config) {
        current.set(Objects.requireNonNull(config));
    }
}
