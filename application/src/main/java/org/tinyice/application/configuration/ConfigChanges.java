package org.tinyice.application.configuration;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.health.Faults;
import org.tinyice.application.port.out.ConfigurationStore;

/**
 * Every change to the configuration while the server runs goes through here, one at a time: the
 * dashboard's edits, and reloads of the file (SIGHUP). An edit is saved to the file first (atomically,
 * by the store) and put in force only once saved, so what runs is never something a restart would lose.
 *
 * <p>An edit is applied twice, to the file as stored and to the configuration in force, because the two
 * differ: the one in force also holds what the command line overrode (host, port), which must not end
 * up in the file, and the file may hold hand edits not reloaded yet. Both results are checked.
 */
public final class ConfigChanges {

    /** The name of a failing save on the {@link Faults} board. */
    public static final String PART = "configuration file";

    private final CurrentConfig config;
    private final ConfigurationStore store;
    private final Faults faults;

    public ConfigChanges(CurrentConfig config, ConfigurationStore store) {
        this(config, store, new Faults(java.time.Clock.systemUTC()));
    }

    /**
     * @param faults where a save that fails shows (the edit is refused, so nothing waits to be saved); it
     *               clears with the next save that succeeds, or when the store says a save would succeed
     */
    public ConfigChanges(CurrentConfig config, ConfigurationStore store, Faults faults) {
        this.config = config;
        this.store = store;
        this.faults = faults;
    }

    /** The configuration in force. */
    public ServerConfig current() {
        return config.get();
    }

    /**
     * Runs {@code work} with no other change or reload in between: a caller that looks at the
     * configuration, decides, then changes it, does all three in here.
     */
    public synchronized <T> T atomically(Supplier<T> work) {
        return work.get();
    }

    /**
     * Checks {@code change}, then saves and applies it.
     *
     * @param check what is wrong with a configuration the change made, if anything; asked of both the
     *              configuration in force and the file's
     * @return the problem, or empty when the change is saved and in force
     */
    public synchronized Optional<String> apply(UnaryOperator<ServerConfig> change,
                                               Function<ServerConfig, Optional<String>> check) {
        ServerConfig next = change.apply(config.get());
        Optional<String> problem = check.apply(next);
        if (problem.isPresent()) {
            return problem;
        }
        Optional<ServerConfig> stored;
        try {
            stored = store.load();
        } catch (ConfigurationStore.InvalidConfigurationException e) {
            return Optional.of("the configuration file cannot be read, so it is not changed: " + e.getMessage());
        }
        if (stored.isEmpty()) {
            return Optional.of(store.location() + " is gone, so nothing is changed: restore it, or restart to"
                    + " create a new one");
        }
        ServerConfig file = change.apply(stored.get());
        if (check.apply(file).isPresent()) {
            return Optional.of("the file was edited by hand and, with this change, would be refused ("
                    + check.apply(file).get() + "): reload it first (kill -HUP)");
        }
        try {
            store.save(file);
        } catch (ConfigurationStore.InvalidConfigurationException e) {
            faults.failed(PART, e.getMessage() + " (changes made in the dashboard or the API are refused)", e,
                    () -> store.writeProblem().isEmpty());
            return Optional.of("the configuration file cannot be written, so nothing changed: " + e.getMessage());
        }
        faults.cleared(PART);
        config.replace(next);
        return Optional.empty();
    }

    /** {@link #apply(UnaryOperator, Function)} for a change that is always valid. */
    public Optional<String> apply(UnaryOperator<ServerConfig> change) {
        return apply(change, c -> Optional.empty());
    }

    /**
     * Puts a configuration read anew in force, whole (a reload of the file). {@code reread} gets the
     * configuration in force and returns the new one; a file that cannot be used throws, and then
     * nothing changes.
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
