package org.tinyice.application.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code "master"} in {@code tinyice.json}: another server (Icecast or TinyIce) whose every listed
 * mount this one relays, as Icecast's {@code <master-server>} does (see docs/relays.md). Each rule
 * names the key it is about, so the file adapter can point at its line.
 *
 * @param url      the origin, {@code http://host:port} (its {@code /admin/streamlist.txt} is asked)
 * @param username the origin's relay account, Icecast's {@code <master-username>}
 * @param password that account's password, kept as written: it has to be sent, so it cannot be hashed
 * @param interval how often the list is fetched again, Icecast's {@code <master-update-interval>}
 * @param onDemand the relays connect only when a listener comes, as a relay entry's {@code on_demand}
 * @param publicUrl where listeners reach this edge ({@code public_url}): told to the origin on every poll, so
 *                 that a full origin may send listeners here; empty: the origin is told nothing
 */
public record MasterConfig(URI url, String username, Optional<String> password, Duration interval,
                           boolean onDemand, Optional<EdgeAddress> publicUrl) {

    /** Icecast's default {@code <master-update-interval>}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(120);

    /** A day: a longer interval is surely a typo, and new mounts would not show for that long. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(1);

    /** An edge that does not offer itself for the origin's redirects. */
    public MasterConfig(URI url, String username, Optional<String> password, Duration interval, boolean onDemand) {
        this(url, username, password, interval, onDemand, Optional.empty());
    }

    public MasterConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null
                || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
            throw new InvalidSettingException("master \"url\" must look like http://host:port (plain http, no path,"
                    + " user, query or fragment; credentials go in \"username\" and \"password\"): " + url, "url");
        }
        Objects.requireNonNull(username, "username");
        password = password.filter(p -> !p.isEmpty());
        if (username.isEmpty() || username.indexOf(':') >= 0 || username.chars().anyMatch(c -> c < 0x20)
                || password.filter(p -> p.chars().anyMatch(c -> c < 0x20)).isPresent()) {
            throw new InvalidSettingException("master \"username\" must be a non-empty name without ':', and neither"
                    + " it nor \"password\" may hold control characters", "username", "password");
        }
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new InvalidSettingException("master \"interval\" must be 1 to " + MAX_INTERVAL.toSeconds()
                    + " seconds", "interval");
        }
    }

    /** The origin's stream of {@code mount}: what the relay of that mount opens. */
    public URI streamUrl(String mount) {
        return URI.create("http://" + url.getRawAuthority() + mount);
    }

    /** Where the origin lists its mounts, as Icecast's slave asks for them. */
    public URI streamListUrl() {
        return URI.create("http://" + url.getRawAuthority() + "/admin/streamlist.txt");
    }

    /**
     * The stream list's URL with what an edge with a {@code public_url} tells its origin: Icecast-KH's
     * {@code rserver}, {@code rport} and {@code interval}, and {@code room}, the listener places this edge
     * has free (left out when it has no listener limit), so the origin can send listeners where there
     * is room rather than at random.
     */
    public URI streamListUrl(OptionalInt room) {
        if (publicUrl.isEmpty()) {
            return streamListUrl();
        }
        EdgeAddress self = publicUrl.get();
        return URI.create(streamListUrl() + "?rserver=" + self.host() + "&rport=" + self.port()
                + "&interval=" + interval.toSeconds() + (room.isPresent() ? "&room=" + room.getAsInt() : ""));
    }

    /** Never the password: this is what logs show. */
    @Override
    public String toString() {
        return "master " + url;
    }
}
