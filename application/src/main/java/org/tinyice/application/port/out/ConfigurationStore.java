package org.tinyice.application.port.out;

import java.util.Optional;
import org.tinyice.application.config.ServerConfig;

/** Where the configuration lives between runs. */
public interface ConfigurationStore {

    /**
     * The stored configuration, or empty when there is none yet (first start).
     *
     * @throws InvalidConfigurationException when it exists but cannot be used
     */
    Optional<ServerConfig> load();

    /** Replaces the stored configuration atomically: a crash leaves the old or the new one, never half. */
    void save(ServerConfig config);

    /**
     * Why a save would fail now (the file is read-only, the disk full), or empty when it would succeed;
     * tried without changing the stored configuration.
     */
    default Optional<String> writeProblem() {
        return Optional.empty();
    }

    /** Where the configuration is, for messages. */
    String location();

    /** A configuration that cannot be used; the message names the place and the problem. */
    final class InvalidConfigurationException extends RuntimeException {
        public InvalidConfigurationException(String message) {
            super(message);
        }

        public InvalidConfigurationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
