package org.tinyice.application.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration ({@code tinyice.json}); every key has a default, so a file that holds
 * only some keys is valid.
 *
 * @param host           address to bind
 * @param port           port for everything: sources, listeners, admin
 * @param hostname       public name used in {@code listenurl} and playlists
 * @param location       free text shown in status ({@code location})
 * @param adminEmail     contact shown in status ({@code admin})
 * @param adminUser      admin user name
 * @param adminPassword  admin password (hashed); empty until first start generates one
 * @param sourcePassword global source password (hashed); empty until first start generates one
 * @param limits         server-wide limits
 * @param mounts         configured mounts by path, in file order
 * @param clientAddresses how listeners' addresses are kept in logs and history
 * @param history        how long song plays, listener sessions and listener statistics are kept
 * @param users          dashboard accounts besides the first admin ({@code adminUser})
 * @param dashboard      login lockout and session lifetimes of the dashboard
 * @param apiTokens      tokens scripts send as {@code Authorization: Bearer}, stored as hashes
 * @param accessLog      when {@code access.log} is rotated and how many old files are kept
 * @param relays         mounts whose source is another server's stream (see docs/relays.md)
 * @param relayUser      the account edges use for {@code /admin/streamlist.txt} (Icecast's {@code <relay-user>})
 * @param relayPassword  its password (hashed); empty: only the admin may list the streams
 * @param master         the origin whose every mount this server relays (Icecast's {@code <master-server>})
 * @param redirectTo     edges a full server sends listeners to besides those that report on their polls
 *                       ({@code "redirect_to"}; their room is not known)
 * @param shoutcast      ports for SHOUTcast v1 encoders, one mount each (Icecast's {@code <shoutcast-mount>})
 * @param hls            segment and window lengths of the HLS every MP3 and AAC mount is also offered as
 * @param tls            the HTTPS port and its certificate files, if any (see docs/tls.md)
 * @param addressLists   banned and allowed addresses, and the proxies whose forwarded addresses are believed
 */
public record ServerConfig(String host, int port, String hostname, String location, String adminEmail,
                           String adminUser, Optional<Secret> adminPassword, Optional<Secret> sourcePassword,
                           Limits limits, Map<String, MountConfig> mounts, AddressPrivacy clientAddresses,
                           Retention history, List<UserAccount> users, DashboardSettings dashboard,
                           List<ApiToken> apiTokens, AccessLogSettings accessLog, List<RelayConfig> relays,
                           String relayUser, Optional<Secret> relayPassword, Optional<MasterConfig> master,
                           List<EdgeAddress> redirectTo, List<ShoutcastConfig> shoutcast, HlsSettings hls,
                           Optional<TlsConfig> tls, AddressLists addressLists) {

    /** How much of a listener's address is written down: all of it, a salted hash, or nothing. */
    public enum AddressPrivacy { FULL, HASHED, NONE }

    /** The rest at their defaults: hashed addresses, default retention, no users, no tokens. */
    public ServerConfig(String host, int port, String hostname, String location, String adminEmail,
                        String adminUser, Optional<Secret> adminPassword, Optional<Secret> sourcePassword,
                        Limits limits, Map<String, MountConfig> mounts) {
        this(host, port, hostname, location, adminEmail, adminUser, adminPassword, sourcePassword, limits, mounts,
                AddressPrivacy.HASHED, Retention.DEFAULTS, List.of(), DashboardSettings.DEFAULTS, List.of(),
                AccessLogSettings.DEFAULTS);
    }

    public static final int DEFAULT_PORT = 8000;

    /** Icecast's default {@code <relay-user>}, which edges send unless told otherwise. */
    public static final String DEFAULT_RELAY_USER = "relay";

    public ServerConfig {
        Settings.requireBetween("port", port, 0, 65_535);
        Objects.requireNonNull(tls, "tls");
        if (tls.isPresent() && tls.get().port() != 0 && tls.get().port() == port) {
            throw new InvalidSettingException("\"tls.port\" must differ from \"port\": HTTPS needs its own port",
                    "tls");
        }
        mounts = Collections.unmodifiableMap(new LinkedHashMap<>(mounts));
        Objects.requireNonNull(history, "history");
        users = List.copyOf(users);
        Objects.requireNonNull(dashboard, "dashboard");
        apiTokens = List.copyOf(apiTokens);
        Objects.requireNonNull(accessLog, "accessLog");
        relays = List.copyOf(relays);
        Objects.requireNonNull(relayUser, "relayUser");
        // it travels in Basic auth, where ':' ends the user name
        if (relayUser.isEmpty() || relayUser.indexOf(':') >= 0 || relayUser.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidSettingException("\"relay_user\" must be a non-empty name without ':' or control"
                    + " characters", "relay_user");
        }
        Objects.requireNonNull(relayPassword, "relayPassword");
        Objects.requireNonNull(master, "master");
        redirectTo = List.copyOf(new java.util.LinkedHashSet<>(redirectTo));
        shoutcast = List.copyOf(shoutcast);
        Objects.requireNonNull(hls, "hls");
        Objects.requireNonNull(addressLists, "addressLists");
        java.util.Set<String> shoutcastMounts = new java.util.HashSet<>();
        java.util.Set<Integer> shoutcastPorts = new java.util.HashSet<>();
        for (ShoutcastConfig entry : shoutcast) {
            int listenOn = entry.portFor(port);
            if (!shoutcastMounts.add(entry.mount())) {
                throw new InvalidSettingException("shoutcast mount " + entry.mount() + " is listed twice", "shoutcast");
            }
            if (listenOn > 65_535 || listenOn != 0 && (listenOn == port || !shoutcastPorts.add(listenOn))) {
                throw new InvalidSettingException("shoutcast port " + listenOn + " (for " + entry.mount() + ") is"
                        + " the server's port, another shoutcast entry's, or too high: give each entry its own"
                        + " \"port\"", "shoutcast");
            }
        }
    }

    /** With HLS at its defaults, no HTTPS port and no address lists. */
    public ServerConfig(String host, int port, String hostname, String location, String adminEmail,
                        String adminUser, Optional<Secret> adminPassword, Optional<Secret> sourcePassword,
                        Limits limits, Map<String, MountConfig> mounts, AddressPrivacy clientAddresses,
                        Retention history, List<UserAccount> users, DashboardSettings dashboard,
                        List<ApiToken> apiTokens, AccessLogSettings accessLog, List<RelayConfig> relays,
                        String relayUser, Optional<Secret> relayPassword, Optional<MasterConfig> master,
                        List<EdgeAddress> redirectTo, List<ShoutcastConfig> shoutcast) {
        this(host, port, hostname, location, adminEmail, adminUser, adminPassword, sourcePassword, limits, mounts,
                clientAddresses, history, users, dashboard, apiTokens, accessLog, relays, relayUser, relayPassword,
                master, redirectTo, shoutcast, HlsSettings.DEFAULTS, Optional.empty(), AddressLists.NONE);
    }

    /** Without static edges to redirect to and without SHOUTcast ports. */
    public ServerConfig(String host, int port, String hostname, String location, String adminEmail,
                        String adminUser, Optional<Secret> adminPassword, Optional<Secret> sourcePassword,
                        Limits limits, Map<String, MountConfig> mounts, AddressPrivacy clientAddresses,
                        Retention history, List<UserAccount> users, DashboardSettings dashboard,
                        List<ApiToken> apiTokens, AccessLogSettings accessLog, List<RelayConfig> relays,
                        String relayUser, Optional<Secret> relayPassword, Optional<MasterConfig> master) {
        this(host, port, hostname, location, adminEmail, adminUser, adminPassword, sourcePassword, limits, mounts,
                clientAddresses, history, users, dashboard, apiTokens, accessLog, relays, relayUser, relayPassword,
                master, List.of(), List.of());
    }

    /** Without a relay account and a master. */
    public ServerConfig(String host, int port, String hostname, String location, String adminEmail,
                        String adminUser, Optional<Secret> adminPassword, Optional<Secret> sourcePassword,
                        Limits limits, Map<String, MountConfig> mounts, AddressPrivacy clientAddresses,
                        Retention history, List<UserAccount> users, DashboardSettings dashboard,
                        List<ApiToken> apiTokens, AccessLogSettings accessLog, List<RelayConfig> relays) {
        this(host, port, hostname, location, adminEmail, adminUser, adminPassword, sourcePassword, limits, mounts,
                clientAddresses, history, users, dashboard, apiTokens, accessLog, relays, DEFAULT_RELAY_USER,
                Optional.empty(), Optional.empty());
    }

    /** Without relays. */
    public ServerConfig(String host, int port, String hostname, String location, String adminEmail,
                        String adminUser, Optional<Secret> adminPassword, Optional<Secret> sourcePassword,
                        Limits limits, Map<String, MountConfig> mounts, AddressPrivacy clientAddresses,
                        Retention history, List<UserAccount> users, DashboardSettings dashboard,
                        List<ApiToken> apiTokens, AccessLogSettings accessLog) {
        this(host, port, hostname, location, adminEmail, adminUser, adminPassword, sourcePassword, limits, mounts,
                clientAddresses, history, users, dashboard, apiTokens, accessLog, List.of());
    }

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", DEFAULT_PORT, "localhost", "Earth", "admin@localhost", "admin",
                Optional.empty(), Optional.empty(), Limits.DEFAULT, Map.of());
    }

    /** The settings for a mount path: configured ones, else defaults (mounts made on the fly). */
    public MountConfig mount(String path) {
        MountConfig configured = mounts.get(path);
        return configured != null ? configured : MountConfig.defaultsFor(path);
    }

    /** Whether some configured mount names {@code path} as its fallback (only such paths may play a file). */
    public boolean isFallback(String path) {
        for (MountConfig mount : mounts.values()) {
            if (mount.fallback().filter(path::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    public int burstSizeFor(String path) {
        return mount(path).burstSize().orElse(limits.burstSize());
    }

    public ServerConfig withListenAddress(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    public ServerConfig withCredentials(String newAdminUser, Optional<Secret> newAdminPassword,
                                        Optional<Secret> newSourcePassword, Map<String, MountConfig> newMounts) {
        return new ServerConfig(host, port, hostname, location, adminEmail, newAdminUser, newAdminPassword,
                newSourcePassword, limits, newMounts, clientAddresses, history, users, dashboard, apiTokens,
                accessLog, relays, relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another list of dashboard accounts. */
    public ServerConfig withUsers(List<UserAccount> newUsers) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, newUsers, dashboard, apiTokens, accessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with other limits. */
    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, newLimits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another set of configured mounts (in the given order). */
    public ServerConfig withMounts(Map<String, MountConfig> newMounts) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, newMounts, clientAddresses, history, users, dashboard, apiTokens, accessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another first-admin password. */
    public ServerConfig withAdminPassword(Secret newAdminPassword) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, Optional.of(newAdminPassword),
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another list of API tokens. */
    public ServerConfig withApiTokens(List<ApiToken> newTokens) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, newTokens, accessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with other access log rotation settings. */
    public ServerConfig withAccessLog(AccessLogSettings newAccessLog) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, newAccessLog, relays,
                relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another list of relays. */
    public ServerConfig withRelays(List<RelayConfig> newRelays) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                newRelays, relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another relay account. */
    public ServerConfig withRelayAccount(String newRelayUser, Optional<Secret> newRelayPassword) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, newRelayUser, newRelayPassword, master, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with another master (or none). */
    public ServerConfig withMaster(Optional<MasterConfig> newMaster) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, relayUser, relayPassword, newMaster, redirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with other static edges to redirect to. */
    public ServerConfig withRedirectTo(List<EdgeAddress> newRedirectTo) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, relayUser, relayPassword, master, newRedirectTo, shoutcast, hls, tls, addressLists);
    }

    /** The same configuration with other SHOUTcast v1 ports. */
    public ServerConfig withShoutcast(List<ShoutcastConfig> newShoutcast) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, relayUser, relayPassword, master, redirectTo, newShoutcast, hls, tls, addressLists);
    }

    /** The same configuration with other HLS segment and window lengths. */
    public ServerConfig withHls(HlsSettings newHls) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, relayUser, relayPassword, master, redirectTo, shoutcast, newHls, tls, addressLists);
    }

    /** The same configuration with another HTTPS port (or none). */
    public ServerConfig withTls(Optional<TlsConfig> newTls) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, relayUser, relayPassword, master, redirectTo, shoutcast, hls, newTls, addressLists);
    }

    /** The same configuration with other address lists. */
    public ServerConfig withAddressLists(AddressLists newAddressLists) {
        return new ServerConfig(host, port, hostname, location, adminEmail, adminUser, adminPassword,
                sourcePassword, limits, mounts, clientAddresses, history, users, dashboard, apiTokens, accessLog,
                relays, relayUser, relayPassword, master, redirectTo, shoutcast, hls, tls, newAddressLists);
    }
}
