package org.tinyice.application.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.CheckCredentialsUseCase;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Every password check in TinyIce: the admin's and sources' Basic auth, dashboard logins, listener
 * accounts. One place, so that one throttle and one budget of CPU cover them all.
 *
 * <p>An Argon2id check costs milliseconds of CPU and megabytes of memory by design, so:
 * <ul>
 *   <li>a locked-out address or account ({@link LoginThrottle}) is refused before any hashing, and
 *       again after waiting for a hashing slot (it may have been locked out meanwhile);</li>
 *   <li>at most {@value #CONCURRENT_HASHES} checks run at once, and a request waits for a slot no
 *       longer than the configured wait, then gets {@link Verdict.Busy};</li>
 *   <li>a result is remembered, keyed by a SHA-256 of user, password and the stored hash (a changed
 *       password invalidates it): a success for a minute, because stats tools and libshout's title
 *       updates send Basic auth on every request; a failure for {@link #REMEMBER_FAILURE}, so a flood
 *       of one wrong password costs one hash and counts as one failure, not one per request;</li>
 *   <li>an unknown user name is checked against a dummy hash, so the time taken does not tell which
 *       names exist.</li>
 * </ul>
 */
public final class CredentialChecker implements CheckCredentialsUseCase {

    static final int CONCURRENT_HASHES = 2;
    /** Long enough for a few queued checks on a busy machine, short enough that clients do not time out. */
    public static final Duration SLOT_WAIT = Duration.ofSeconds(2);
    static final Duration REMEMBER_SUCCESS = Duration.ofSeconds(60);
    static final Duration REMEMBER_FAILURE = Duration.ofSeconds(30);
    private static final int MAX_REMEMBERED = 4096;

    private enum Outcome { MATCHED, FAILED, REPEATED_FAILURE, LOCKED_OUT, BUSY }

    private record Remembered(boolean matched, Instant until) { }

    private final PasswordHasher hasher;
    private final Supplier<ServerConfig> config;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Duration slotWait;
    // fair, so that a request is not overtaken indefinitely by a flood queued behind it
    private final Semaphore hashing = new Semaphore(CONCURRENT_HASHES, true);
    private final ConcurrentHashMap<String, Remembered> remembered = new ConcurrentHashMap<>();
    private volatile String dummyHash;

    public CredentialChecker(PasswordHasher hasher, Supplier<ServerConfig> config, LoginThrottle throttle,
                             Clock clock, Duration slotWait) {
        this.hasher = hasher;
        this.config = config;
        this.throttle = throttle;
        this.clock = clock;
        this.slotWait = slotWait;
    }

    @Override
    public Verdict checkAdmin(Optional<Credentials> credentials, String remoteAddress) {
        if (credentials.isEmpty()) {
            return new Verdict.Rejected();
        }
        ServerConfig now = config.get();
        Credentials given = credentials.get();
        Optional<Secret> secret = given.user().equals(now.adminUser()) ? now.adminPassword() : Optional.empty();
        return checkAccount(given, secret, remoteAddress);
    }

    /**
     * Whether these are source credentials for {@code mountPath}: the mount's own password when it
     * has one, else the global source password. The user name is not checked (encoders send
     * "source" by convention, some let users type anything), so failures count against the password
     * tried: the mount's, or the global one.
     */
    @Override
    public Verdict checkSource(String mountPath, Optional<Credentials> credentials, String remoteAddress) {
        if (credentials.isEmpty()) {
            return new Verdict.Rejected();
        }
        ServerConfig now = config.get();
        Optional<Secret> own = now.mount(mountPath).password();
        String account = own.isPresent() ? "source " + mountPath : "source";
        return check(remoteAddress, account, credentials.get(), own.or(now::sourcePassword));
    }

    /**
     * A wrong user name costs a dummy hash like a wrong password, so timing does not tell the relay
     * account's name; failures count against it like any account's.
     */
    @Override
    public Verdict checkRelay(Optional<Credentials> credentials, String remoteAddress) {
        if (credentials.isEmpty()) {
            return new Verdict.Rejected();
        }
        ServerConfig now = config.get();
        Credentials given = credentials.get();
        Optional<Secret> secret = given.user().equals(now.relayUser()) ? now.relayPassword() : Optional.empty();
        return check(remoteAddress, "relay " + given.user(), given, secret);
    }

    /** The admin's or the mount's source credentials, as Icecast accepts for title updates. */
    public Verdict checkAdminOrSource(String mountPath, Optional<Credentials> credentials, String remoteAddress) {
        return adminOrSource(mountPath, credentials, remoteAddress).verdict();
    }

    /** Who {@link #checkAdminOrSource} found the client to be: empty unless it was accepted. */
    public Optional<Principal> adminOrSourcePrincipal(String mountPath, Optional<Credentials> credentials,
                                                      String remoteAddress) {
        Checked checked = adminOrSource(mountPath, credentials, remoteAddress);
        return checked.verdict().accepted() ? Optional.of(checked.who()) : Optional.empty();
    }

    /** @param who whom the verdict is about */
    private record Checked(Verdict verdict, Principal who) { }

    private Checked adminOrSource(String mountPath, Optional<Credentials> credentials, String remoteAddress) {
        if (credentials.isPresent() && credentials.get().user().equals(config.get().adminUser())) {
            Verdict admin = checkAdmin(credentials, remoteAddress);
            if (!(admin instanceof Verdict.Rejected)) {
                return new Checked(admin, new Principal.Admin());
            }
        }
        return new Checked(checkSource(mountPath, credentials, remoteAddress), new Principal.Source(mountPath));
    }

    /**
     * A named account's password ({@code secret} empty when there is no such account, and then it
     * costs the same as a wrong password); failures count against the address and the name.
     */
    public Verdict checkAccount(Credentials given, Optional<Secret> secret, String remoteAddress) {
        return check(remoteAddress, "user " + given.user(), given, secret);
    }

    /**
     * Whether these are one of a mount's listener accounts. Not throttled: the listener path does not
     * say who asks, and a listener account opens nothing but a stream.
     */
    public boolean isListener(ListenerAuth.StaticUsers users, Optional<Credentials> credentials) {
        return credentials.isPresent() && compare(credentials.get(),
                Optional.ofNullable(users.users().get(credentials.get().user())), () -> false, outcome -> { })
                == Outcome.MATCHED;
    }

    private Verdict check(String address, String account, Credentials given, Optional<Secret> secret) {
        Optional<Instant> locked = throttle.lockedUntil(address, account);
        if (locked.isPresent()) {
            return new Verdict.LockedOut(locked.get());
        }
        Consumer<Outcome> count = outcome -> {
            if (outcome == Outcome.MATCHED) {
                throttle.succeeded(address, account);
            } else if (outcome == Outcome.FAILED) {
                throttle.failed(address, account);
            }
        };
        return switch (compare(given, secret, () -> throttle.lockedUntil(address, account).isPresent(), count)) {
            case MATCHED -> new Verdict.Accepted();
            case FAILED -> throttle.lockedUntil(address, account).<Verdict>map(Verdict.LockedOut::new)
                    .orElseGet(Verdict.Rejected::new);
            case REPEATED_FAILURE -> new Verdict.Rejected();
            case LOCKED_OUT -> new Verdict.LockedOut(throttle.lockedUntil(address, account).orElse(clock.instant()));
            case BUSY -> new Verdict.Busy();
        };
    }

    /**
     * @param count told of a hashed check's outcome while the hashing slot is still held: a guess that
     *              was waiting for the slot then finds the lockout this failure started, so a flood of
     *              guesses costs at most {@value #CONCURRENT_HASHES} hashes past the limit
     */
    private Outcome compare(Credentials given, Optional<Secret> secret, BooleanSupplier lockedOut,
                            Consumer<Outcome> count) {
        if (secret.orElse(null) instanceof Secret.Plain plain) {
            // only until the first start hashes it: no hash to pay for, nothing worth remembering
            Outcome outcome = MessageDigest.isEqual(plain.password().getBytes(StandardCharsets.UTF_8),
                    given.password().getBytes(StandardCharsets.UTF_8)) ? Outcome.MATCHED : Outcome.FAILED;
            count.accept(outcome);
            return outcome;
        }
        String encoded = secret.map(s -> ((Secret.Hashed) s).encoded()).orElseGet(this::dummyHash);
        String key = Sha256.hex(given.user(), given.password(), encoded);
        Optional<Outcome> known = recall(key);
        if (known.isPresent()) {
            return known.get();
        }
        try {
            if (!hashing.tryAcquire(slotWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Outcome.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.BUSY;
        }
        try {
            // what may have happened while this request waited: a lockout, or the same check by another
            if (lockedOut.getAsBoolean()) {
                return Outcome.LOCKED_OUT;
            }
            known = recall(key);
            if (known.isPresent()) {
                return known.get();
            }
            boolean matched = hasher.verify(given.password(), encoded) && secret.isPresent();
            remember(key, matched);
            Outcome outcome = matched ? Outcome.MATCHED : Outcome.FAILED;
            count.accept(outcome);
            return outcome;
        } finally {
            hashing.release();
        }
    }

    private Optional<Outcome> recall(String key) {
        Remembered r = remembered.get(key);
        if (r == null || !clock.instant().isBefore(r.until())) {
            return Optional.empty();
        }
        return Optional.of(r.matched() ? Outcome.MATCHED : Outcome.REPEATED_FAILURE);
    }

    private void remember(String key, boolean matched) {
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, new Remembered(matched,
                clock.instant().plus(matched ? REMEMBER_SUCCESS : REMEMBER_FAILURE)));
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            // made on first need, at the cost of one hash; two threads racing here both pay, harmlessly
            hash = hasher.hash(UUID.randomUUID().toString());
            dummyHash = hash;
        }
        return hash;
    }
}
