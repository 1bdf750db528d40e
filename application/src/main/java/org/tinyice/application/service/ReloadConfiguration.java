package org.tinyice.application.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.dashboard.ConfigChanges;
import org.tinyice.application.dashboard.UserAdministration;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.application.service.PrepareConfiguration.EnvironmentCredentials;

/**
 * Reads {@code tinyice.json} again while the server runs (SIGHUP, as Icecast does): mounts, users,
 * tokens, limits, history retention and dashboard settings apply from the next source, listener or
 * request on; connected sources and listeners stay. What the file cannot change while running: the
 * address and port the server is bound to, and the chunk timing (both at the next start). A file that
 * is missing or does not parse changes nothing, and says why.
 */
public final class ReloadConfiguration {

    private final ConfigurationStore store;
    private final PasswordHasher hasher;
    private final EnvironmentCredentials environment;
    private final ConfigChanges changes;
    private final AdministerMountsUseCase admin;
    private final Optional<String> hostOverride;
    private final Optional<Integer> portOverride;

    /**
     * @param hostOverride the address the command line set (it wins over the file's), if any
     * @param portOverride the port the command line set, if any
     */
    public ReloadConfiguration(ConfigurationStore store, PasswordHasher hasher, EnvironmentCredentials environment,
                               ConfigChanges changes, AdministerMountsUseCase admin, Optional<String> hostOverride,
                               Optional<Integer> portOverride) {
        this.store = store;
        this.hasher = hasher;
        this.environment = environment;
        this.changes = changes;
        this.admin = admin;
        this.hostOverride = hostOverride;
        this.portOverride = portOverride;
    }

    /** @param lines what to tell the operator; the first says whether the reload took */
    public record Outcome(boolean reloaded, List<String> lines) { }

    public Outcome reload() {
        List<String> lines = new ArrayList<>();
        ServerConfig before = changes.current();
        ServerConfig[] loaded = new ServerConfig[1];
        Optional<String> problem = changes.reload(now -> {
            if (store.load().isEmpty()) {
                // a deleted file must not reset a running station to defaults
                throw new ConfigurationStore.InvalidConfigurationException(store.location() + " is gone");
            }
            PrepareConfiguration.Prepared prepared = new PrepareConfiguration(store, hasher).prepare(environment);
            lines.addAll(prepared.notices());
            loaded[0] = UserAdministration.hashPlaintextPasswords(prepared.config(), hasher, store);
            return loaded[0].withListenAddress(now.host(), now.port());
        });
        if (problem.isPresent()) {
            lines.addFirst("configuration not reloaded, the running one stays: " + problem.get());
            return new Outcome(false, lines);
        }
        lines.addFirst("configuration reloaded from " + store.location());
        ServerConfig after = changes.current();
        String host = hostOverride.orElse(loaded[0].host());
        int port = portOverride.orElse(loaded[0].port());
        if (!host.equals(before.host()) || port != before.port() && port != 0) {
            lines.add("the address " + host + ":" + port + " takes effect at the next start; still listening on "
                    + before.host() + ":" + before.port());
        }
        if (!loaded[0].limits().chunkDelay().equals(before.limits().chunkDelay())) {
            lines.add("limits.chunk_ms takes effect at the next start");
        }
        for (MountConfig mount : after.mounts().values()) {
            if (!mount.enabled() && before.mount(mount.path()).enabled() && admin.killSource(mount.path())) {
                lines.add(mount.path() + " is disabled in the file: its source was dropped");
            }
        }
        return new Outcome(true, lines);
    }
}
