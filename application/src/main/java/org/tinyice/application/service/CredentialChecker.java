package org.tinyice.application.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.CheckCredentialsUseCase;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Decides whether credentials are the admin's or a mount's source credentials.
 *
 * <p>An Argon2id check costs milliseconds of CPU and megabytes of memory by design. Stats tools and
 * libshout's metadata updates send Basic auth on every request, so a successful check is remembered
 * for a short while (keyed by a SHA-256 of user, password and the stored hash, so a changed password
 * invalidates it), and at most {@value #CONCURRENT_HASHES} checks run at once so a flood of wrong
 * passwords cannot eat the machine. Failed checks are never cached.
 */
public final class CredentialChecker implements CheckCredentialsUseCase {

    static final int CONCURRENT_HASHES = 2;
    private static final long REMEMBER_NANOS = 60_000_000_000L;
    private static final int MAX_REMEMBERED = 4096;

    private final PasswordHasher hasher;
    private final Supplier<ServerConfig> config;
    private final LongSupplier nanoClock;
    private final Semaphore hashing = new Semaphore(CONCURRENT_HASHES);
    private final ConcurrentHashMap<String, Long> rememberedUntil = new ConcurrentHashMap<>();

    public CredentialChecker(PasswordHasher hasher, Supplier<ServerConfig> config, LongSupplier nanoClock) {
        this.hasher = hasher;
        this.config = config;
        this.nanoClock = nanoClock;
    }

    public CredentialChecker(PasswordHasher hasher, Supplier<ServerConfig> config) {
        this(hasher, config, System::nanoTime);
    }

    @Override
    public boolean isAdmin(Optional<Credentials> credentials) {
        ServerConfig now = config.get();
        return credentials.isPresent()
                && credentials.get().user().equals(now.adminUser())
                && matches(credentials.get(), now.adminPassword());
    }

    /**
     * Whether these are source credentials for {@code mountPath}: the mount's own password when it
     * has one, else the global source password. The user name is not checked (encoders send
     * "source" by convention, some let users type anything).
     */
    @Override
    public boolean maySource(String mountPath, Optional<Credentials> credentials) {
        if (credentials.isEmpty()) {
            return false;
        }
        ServerConfig now = config.get();
        Optional<Secret> secret = now.mount(mountPath).password().or(now::sourcePassword);
        return matches(credentials.get(), secret);
    }

    /** Whether these are one of a mount's listener accounts. */
    public boolean isListener(ListenerAuth.StaticUsers users, Optional<Credentials> credentials) {
        return credentials.isPresent()
                && matches(credentials.get(), Optional.ofNullable(users.users().get(credentials.get().user())));
    }

    private boolean matches(Credentials credentials, Optional<Secret> secret) {
        if (secret.isEmpty()) {
            return false;
        }
        return switch (secret.get()) {
            case Secret.Plain plain -> MessageDigest.isEqual(
                    plain.password().getBytes(StandardCharsets.UTF_8),
                    credentials.password().getBytes(StandardCharsets.UTF_8));
            case Secret.Hashed hashed -> matchesHash(credentials, hashed.encoded());
        };
    }

    private boolean matchesHash(Credentials credentials, String encoded) {
        String key = Sha256.hex(credentials.user(), credentials.password(), encoded);
        Long until = rememberedUntil.get(key);
        long now = nanoClock.getAsLong();
        if (until != null && now - until < 0) {
            return true;
        }
        boolean ok;
        hashing.acquireUninterruptibly();
        try {
            ok = hasher.verify(credentials.password(), encoded);
        } finally {
            hashing.release();
        }
        if (ok) {
            if (rememberedUntil.size() >= MAX_REMEMBERED) {
                rememberedUntil.clear();
            }
            rememberedUntil.put(key, now + REMEMBER_NANOS);
        }
        return ok;
    }
}
