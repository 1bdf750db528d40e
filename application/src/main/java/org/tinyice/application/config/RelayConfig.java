package org.tinyice.application.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.tinyice.domain.mount.MountPath;

/**
 * One entry of {@code "relays"} in {@code tinyice.json}: a local mount whose source is another
 * server's stream (see docs/relays.md). Each rule names the key it is about
 * ({@link InvalidSettingException#settings()}), so the file adapter can point at its line.
 *
 * @param url      the upstream stream, {@code http://host:port/mount} (plain HTTP, as Icecast's relays)
 * @param mount    the local mount; in the file it defaults to the path of {@code url}
 * @param username sent with {@code password} as Basic auth, when both are set
 * @param password the upstream's password, kept as written: it has to be sent, so it cannot be hashed
 * @param onDemand connect only when a listener comes, and let go once none has listened for {@code idle}
 * @param metadata ask the upstream for ICY metadata ({@code Icy-MetaData: 1}) and take its titles
 * @param grace    how long the mount's listeners wait for a lost upstream to come back before they move
 *                 to the mount's fallback (or are let go)
 * @param idle     an on-demand relay disconnects after this long without listeners
 */
public record RelayConfig(URI url, String mount, Optional<String> username, Optional<String> password,
                          boolean onDemand, boolean metadata, Duration grace, Duration idle) {

    /** Long enough for an origin's restart or a routing blip; short enough that listeners are not kept in silence. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    /** An hour: longer is surely a typo, and listeners hear silence all that time. */
    public static final Duration MAX_GRACE = Duration.ofHours(1);

    /** Listeners who zap away and back within this find the stream still connected, with its burst. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(10);

    public RelayConfig {
        Objects.requireNonNull(url, "url");
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new InvalidSettingException("relay \"url\" must look like http://host:port/mount (plain http, no"
                    + " user, query or fragment; credentials go in \"username\" and \"password\"): " + url, "url");
        }
        if (!MountPath.isValid(url.getPath())) {
            throw new InvalidSettingException("relay \"url\" must end in a mount path like /live: " + url, "url");
        }
        if (!MountPath.isValid(mount)) {
            throw new InvalidSettingException("relay \"mount\" \"" + mount + "\" is not a valid mount (it must start"
                    + " with / and use only letters, digits and ._-~/)", "mount");
        }
        username = username.filter(u -> !u.isEmpty());
        password = password.filter(p -> !p.isEmpty());
        if (username.isPresent() != password.isPresent()) {
            throw new InvalidSettingException("relay " + mount + ": \"username\" and \"password\" go together", "username", "password");
        }
        if (username.filter(u -> u.indexOf(':') >= 0 || u.chars().anyMatch(c -> c < 0x20)).isPresent()
                || password.filter(p -> p.chars().anyMatch(c -> c < 0x20)).isPresent()) {
            throw new InvalidSettingException("relay " + mount + ": \"username\" must not hold ':' and neither may"
                    + " hold control characters", "username", "password");
        }
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw new InvalidSettingException("relay " + mount + ": \"grace_seconds\" must be 0 to "
                    + MAX_GRACE.toSeconds(), "grace_seconds");
        }
        Objects.requireNonNull(idle, "idle");
        if (idle.compareTo(Duration.ofSeconds(1)) < 0 || idle.compareTo(MAX_GRACE) > 0) {
            throw new InvalidSettingException("relay " + mount + ": \"on_demand_idle_seconds\" must be 1 to "
                    + MAX_GRACE.toSeconds(), "on_demand_idle_seconds");
        }
    }

    /** A relay of {@code url} to the mount of the same path, always on, with metadata. */
    public static RelayConfig of(URI url) {
        return new RelayConfig(url, url.getPath(), Optional.empty(), Optional.empty(), false, true, DEFAULT_GRACE,
                DEFAULT_IDLE);
    }

    /** The same relay with another grace period. */
    public RelayConfig withGrace(Duration newGrace) {
        return new RelayConfig(url, mount, username, password, onDemand, metadata, newGrace, idle);
    }

    /** Never the password: this is what logs show. */
    @Override
    public String toString() {
        return "relay " + url + " -> " + mount;
    }
}
