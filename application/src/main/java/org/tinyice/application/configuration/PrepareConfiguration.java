package org.tinyice.application.configuration;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Makes the stored configuration ready to run on: creates it on first start, takes credentials
 * from the environment when given, generates strong ones otherwise (reported once, so the operator
 * can note them), and rewrites any plaintext password a person typed into the file as a hash.
 */
public final class PrepareConfiguration {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 24;

    private final ConfigurationStore store;
    private final PasswordHasher hasher;
    private final SecureRandom random = new SecureRandom();

    public PrepareConfiguration(ConfigurationStore store, PasswordHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    /**
     * @param environment credentials set from outside ({@code TINYICE_ADMIN_USER}, ...); win over the file
     * @return the configuration to run with and what to tell the operator once
     */
    public Prepared prepare(EnvironmentCredentials environment) {
        Optional<ServerConfig> loaded = store.load();
        ServerConfig config = loaded.orElseGet(ServerConfig::defaults);
        List<String> notices = new ArrayList<>();
        boolean changed = loaded.isEmpty();
        if (loaded.isEmpty()) {
            notices.add("Created " + store.location() + " with default settings.");
        }

        String adminUser = environment.adminUser().orElse(config.adminUser());
        changed |= !adminUser.equals(config.adminUser());

        Resolved admin = resolve(config.adminPassword(), environment.adminPassword());
        if (admin.generated() != null) {
            notices.add("Generated admin credentials: user '" + adminUser + "', password '" + admin.generated() + "'");
        }
        Resolved source = resolve(config.sourcePassword(), environment.sourcePassword());
        if (source.generated() != null) {
            notices.add("Generated source password: '" + source.generated() + "' (user name: source)");
        }
        if (admin.generated() != null || source.generated() != null) {
            notices.add("Generated passwords are stored in " + store.location()
                    + " only as Argon2id hashes and are not shown again: note them now.");
        }
        changed |= admin.changed() || source.changed();

        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        for (MountConfig mount : config.mounts().values()) {
            if (mount.password().orElse(null) instanceof Secret.Plain plain) {
                mount = mount.withPassword(new Secret.Hashed(hasher.hash(plain.password())));
                changed = true;
            }
            if (mount.auth() instanceof ListenerAuth.StaticUsers users
                    && users.users().values().stream().anyMatch(Secret.Plain.class::isInstance)) {
                Map<String, Secret> hashed = new LinkedHashMap<>();
                users.users().forEach((user, secret) -> hashed.put(user, secret instanceof Secret.Plain plain
                        ? new Secret.Hashed(hasher.hash(plain.password())) : secret));
                mount = mount.withAuth(new ListenerAuth.StaticUsers(hashed));
                changed = true;
            }
            mounts.put(mount.path(), mount);
        }

        ServerConfig ready = config.withCredentials(adminUser, Optional.of(admin.secret()), Optional.of(source.secret()),
                mounts);
        // never generated: without a relay password only the admin may list the streams
        if (ready.relayPassword().orElse(null) instanceof Secret.Plain plain) {
            ready = ready.withRelayAccount(ready.relayUser(),
                    Optional.of(new Secret.Hashed(hasher.hash(plain.password()))));
            changed = true;
        }
        if (changed) {
            store.save(ready);
        }
        return new Prepared(ready, List.copyOf(notices));
    }

    private Resolved resolve(Optional<Secret> stored, Optional<String> fromEnvironment) {
        if (fromEnvironment.isPresent()) {
            String wanted = fromEnvironment.get();
            if (stored.orElse(null) instanceof Secret.Hashed hashed && hasher.verify(wanted, hashed.encoded())) {
                return new Resolved(hashed, false, null);
            }
            return new Resolved(new Secret.Hashed(hasher.hash(wanted)), true, null);
        }
        if (stored.isEmpty()) {
            String generated = generate();
            return new Resolved(new Secret.Hashed(hasher.hash(generated)), true, generated);
        }
        if (stored.get() instanceof Secret.Plain plain) {
            return new Resolved(new Secret.Hashed(hasher.hash(plain.password())), true, null);
        }
        return new Resolved(stored.get(), false, null);
    }

    private String generate() {
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    private record Resolved(Secret secret, boolean changed, String generated) { }

    /**
     * Hashes the plaintext passwords a person typed into the file (at start, before anyone logs in),
     * and saves the file when it did.
     */
    public static ServerConfig hashPlaintextPasswords(ServerConfig loaded, PasswordHasher hasher,
                                                      ConfigurationStore store) {
        if (loaded.users().stream().noneMatch(u -> u.password() instanceof Secret.Plain)
                && !(loaded.relayPassword().orElse(null) instanceof Secret.Plain)) {
            return loaded;
        }
        List<UserAccount> hashed = loaded.users().stream()
                .map(u -> u.password() instanceof Secret.Plain plain
                        ? u.withPassword(new Secret.Hashed(hasher.hash(plain.password()))) : u)
                .toList();
        ServerConfig ready = loaded.withUsers(hashed);
        if (ready.relayPassword().orElse(null) instanceof Secret.Plain plain) {
            ready = ready.withRelayAccount(ready.relayUser(),
                    Optional.of(new Secret.Hashed(hasher.hash(plain.password()))));
        }
        store.save(ready);
        return ready;
    }

    /** Credentials given through the environment; empty when not set. */
    public record EnvironmentCredentials(Optional<String> adminUser, Optional<String> adminPassword,
                                         Optional<String> sourcePassword) {
        public static EnvironmentCredentials none() {
            return new EnvironmentCredentials(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** The configuration to run with, and lines to show the operator once. */
    public record Prepared(ServerConfig config, List<String> notices) { }
}
