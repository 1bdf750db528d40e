package org.tinyice.application.configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.configuration.PrepareConfiguration.EnvironmentCredentials;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Reads {@code tinyice.json} again while the server runs (SIGHUP, as Icecast does): mounts, users,
 * tokens, limits, history retention and dashboard settings apply from the next source, listener or
 * request on (the connection limits from the next connection); connected sources and listeners stay.
 * Relays are brought in line with the file (new ones start, removed ones stop, unchanged ones go on),
 * and so are the SHOUTcast ports.
 * What the file cannot change while running: the address and port the server is bound to, the chunk
 * timing and the access log's rotation (all at the next start). A file that is missing or does not
 * parse changes nothing, and says why.
 *
 * <p>The environment's credentials ({@code TINYICE_ADMIN_PASSWORD}, ...) were written to the file at
 * start and are not applied again here: a password changed in the dashboard since then stays.
 */
public final class ReloadConfiguration {

    private final ConfigurationStore store;
    private final PasswordHasher hasher;
    private final ConfigChanges changes;
    private final AdministerMountsUseCase admin;
    private final Consumer<String> endSessionsOf;
    private final Optional<String> hostOverride;
    private final Optional<Integer> portOverride;
    private final Consumer<ServerConfig> reloaded;

    /**
     * @param endSessionsOf ends the dashboard sessions of a user whose password the file changed
     * @param hostOverride  the address the command line set (it wins over the file's), if any
     * @param portOverride  the port the command line set, if any
     */
    public ReloadConfiguration(ConfigurationStore store, PasswordHasher hasher, ConfigChanges changes,
                               AdministerMountsUseCase admin, Consumer<String> endSessionsOf,
                               Optional<String> hostOverride, Optional<Integer> portOverride) {
        this(store, hasher, changes, admin, endSessionsOf, hostOverride, portOverride, config -> { });
    }

    /**
     * @param reloaded told of the configuration now in force after every reload that took: what runs
     *                 on its own (the relays) brings itself in line
     */
    public ReloadConfiguration(ConfigurationStore store, PasswordHasher hasher, ConfigChanges changes,
                               AdministerMountsUseCase admin, Consumer<String> endSessionsOf,
                               Optional<String> hostOverride, Optional<Integer> portOverride,
                               Consumer<ServerConfig> reloaded) {
        this.reloaded = reloaded;
        this.store = store;
        this.hasher = hasher;
        this.changes = changes;
        this.admin = admin;
        this.endSessionsOf = endSessionsOf;
        this.hostOverride = hostOverride;
        this.portOverride = portOverride;
    }

    /** @param lines what to tell the operator; the first says whether the reload took */
    public record Outcome(boolean reloaded, List<String> lines) { }

    /** Reloads in one step with the dashboard's changes, so none is lost between reading and replacing. */
    public Outcome reload() {
        return changes.atomically(this::reloadNow);
    }

    private Outcome reloadNow() {
        List<String> lines = new ArrayList<>();
        ServerConfig before = changes.current();
        ServerConfig[] loaded = new ServerConfig[1];
        Optional<String> problem = changes.reload(now -> {
            if (store.load().isEmpty()) {
                // a deleted file must not reset a running station to defaults
                throw new ConfigurationStore.InvalidConfigurationException(store.location() + " is gone");
            }
            PrepareConfiguration.Prepared prepared = new PrepareConfiguration(store, hasher)
                    .prepare(EnvironmentCredentials.none());
            lines.addAll(prepared.notices());
            loaded[0] = PrepareConfiguration.hashPlaintextPasswords(prepared.config(), hasher, store);
            // what cannot change while running stays as it is in force
            return loaded[0].withListenAddress(now.host(), now.port())
                    .withAccessLog(now.accessLog())
                    .withTls(now.tls());
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
            // SourceService asks for the policy at every read: streaming sources follow at once
            lines.add("limits.chunk_ms is now " + loaded[0].limits().chunkDelay().toMillis() + " ms");
        }
        if (!loaded[0].tls().equals(before.tls()) && !(loaded[0].tls().isPresent() && before.tls().isPresent()
                && loaded[0].tls().get().port() == 0)) {
            // the certificate files' contents are read again (on SIGHUP and when they change), not their names
            lines.add("tls (port, file names, https_redirect) takes effect at the next start");
        }
        if (!loaded[0].accessLog().equals(before.accessLog())) {
            lines.add("access_log takes effect at the next start");
        }
        for (MountConfig mount : after.mounts().values()) {
            if (!mount.enabled() && before.mount(mount.path()).enabled() && admin.killSource(mount.path())) {
                lines.add(mount.path() + " is disabled in the file: its source was dropped");
            }
        }
        endSessionsOfChangedPasswords(before, after);
        if (!after.relays().equals(before.relays())) {
            lines.add("relays changed: " + after.relays().size() + " configured; unchanged ones go on streaming");
        }
        if (!after.shoutcast().equals(before.shoutcast())) {
            lines.add("shoutcast changed: " + after.shoutcast().size() + " SHOUTcast port(s) configured; new ones open,"
                    + " removed or changed ones close with their encoder, unchanged ones stay");
        }
        reloaded.accept(after);
        return new Outcome(true, lines);
    }

    /** Whoever logged in with a password the file has since replaced is logged out. */
    private void endSessionsOfChangedPasswords(ServerConfig before, ServerConfig after) {
        if (!Objects.equals(before.adminPassword(), after.adminPassword())) {
            endSessionsOf.accept(after.adminUser());
        }
        for (UserAccount user : after.users()) {
            before.users().stream().filter(u -> u.name().equals(user.name())).findFirst()
                    .filter(old -> !old.password().equals(user.password()))
                    .ifPresent(old -> endSessionsOf.accept(user.name()));
        }
    }
}
