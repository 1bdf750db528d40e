package org.tinyice.application.dashboard;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.out.ConfigurationStore;

/**
 * Every change made in the dashboard goes through here, one at a time: it is saved to the
 * configuration file first (atomically, by the store) and put in force only once saved, so what runs
 * is never something a restart would lose.
 *
 * <p>The change is applied twice, to the file as stored and to the configuration in force, because
 * the two differ: the one in force also holds what the command line overrode (the port, the data
 * directory), which must not end up in the file.
 */
public final class ConfigChanges {

    private final CurrentConfig config;
    private final ConfigurationStore store;

    public ConfigChanges(CurrentConfig config, ConfigurationStore store) {
        this.config = config;
        this.store = store;
    }

    /** The configuration in force. */
    public ServerConfig current() {
        return config.get();
    }

    /**
     * Checks {@code change} against the configuration in force, then saves and applies it.
     *
     * @param check what is wrong with the change made to the configuration in force, if anything
     * @return the problem, or empty when the change is saved and in force
     */
    public synchronized Optional<String> apply(UnaryOperator<ServerConfig> change,
                                               Function<ServerConfig, Optional<String>> check) {
        ServerConfig now = config.get();
        ServerConfig next = change.apply(now);
        Optional<String> problem = check.apply(next);
        if (problem.isPresent()) {
            return problem;
        }
        ServerConfig stored;
        try {
            stored = store.load().orElse(now);
        } catch (ConfigurationStore.InvalidConfigurationException e) {
            return Optional.of("the configuration file cannot be read, so it is not changed: " + e.getMessage());
        }
        try {
            store.save(change.apply(stored));
        } catch (ConfigurationStore.InvalidConfigurationException e) {
            return Optional.of("the configuration file cannot be written, so nothing changed: " + e.getMessage());
        }
        config.replace(next);
        return Optional.empty();
    }

    /** {@link #apply(UnaryOperator, Function)} for a change that is always valid. */
    public Optional<String> apply(UnaryOperator<ServerConfig> change) {
        return apply(change, c -> Optional.empty());
    }

    /**
     * Puts a configuration read anew in force, whole, in turn with the dashboard's changes (a reload of
     * the file on SIGHUP). {@code reread} gets the configuration in force and returns the new one; a
     * file that cannot be used throws, and then nothing changes.
     *
     * @return the problem, or empty when the new configuration is in force
     */
    public synchronized Optional<String> reload(UnaryOperator<ServerConfig> reread) {
        ServerConfig next;
        try {
            next = reread.apply(config.get());
        } catch (ConfigurationStore.InvalidConfigurationException e) {
            return Optional.of(e.getMessage());
        }
        config.replace(next);
        return Optional.empty();
    }
}
