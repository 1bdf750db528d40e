package org.tinyice.application.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tinyice.domain.mount.MountPath;

/**
 * Settings of one configured mount (the {@code "mounts"} object of {@code tinyice.json}).
 *
 * @param path             e.g. {@code /live}
 * @param password         the mount's own source password (hashed), else the global one applies
 * @param maxListeners     0 for no limit beyond the server's
 * @param burstSize        bytes of instant-start history; empty for the server default
 * @param fallback         mount whose stream listeners move to when this one's source leaves: a live mount,
 *                         or a file in the data directory that then plays as that mount
 * @param fallbackOverride move them back when the source returns
 * @param isPublic         listed on the public page and in directories
 * @param hidden           left out of status pages
 * @param name             display name (status shows the source's {@code ice-name} when it sends one)
 * @param auth             who may listen
 * @param fileBitrate      kbit/s a file playing as this mount is sent at when its format does not say
 *                         (everything but MP3); empty for {@value #DEFAULT_FILE_BITRATE}
 * @param enabled          false takes the mount off the air: its source is refused (and a connected one
 *                         dropped) until it is enabled again (in the dashboard, by an admin or its dj)
 * @param lowLatency       whether and how audio goes to listeners with little delay; in force for a
 *                         connected source and its listeners as soon as it is set
 * @param allowedIps       {@code "allowed_ips"}: when not empty, only these addresses may listen or send
 *                         to this mount (others get 403)
 */
public record MountConfig(String path, Optional<Secret> password, int maxListeners, Optional<Integer> burstSize,
                          Optional<String> fallback, boolean fallbackOverride, boolean isPublic, boolean hidden,
                          Optional<String> name, ListenerAuth auth, Optional<Integer> fileBitrate,
                          boolean enabled, LowLatency lowLatency, List<AddressRange> allowedIps) {

    public static final int DEFAULT_FILE_BITRATE = 128;

    public MountConfig {
        Objects.requireNonNull(path, "path");
        Settings.requireBetween("max_listeners", maxListeners, 0, Limits.MAX_LISTENERS);
        burstSize.ifPresent(bytes -> Settings.requireBetween("burst_size", bytes, 0, Limits.MAX_BURST_SIZE));
        fallback.ifPresent(to -> {
            if (!MountPath.isValid(to)) {
                throw new InvalidSettingException("\"fallback\": \"" + to + "\" is not a valid mount (a mount"
                        + " such as /backup)", "fallback");
            }
            if (to.equals(path)) {
                throw new InvalidSettingException("\"fallback\" of mount " + path + " is the mount itself",
                        "fallback");
            }
        });
        Objects.requireNonNull(auth, "auth");
        fileBitrate.ifPresent(kbits -> Settings.requireBetween("file_bitrate", kbits, 8, 10_000));
        Objects.requireNonNull(lowLatency, "lowLatency");
        allowedIps = List.copyOf(new java.util.LinkedHashSet<>(allowedIps));
    }

    /** A mount open to every address the server lets in. */
    public MountConfig(String path, Optional<Secret> password, int maxListeners, Optional<Integer> burstSize,
                       Optional<String> fallback, boolean fallbackOverride, boolean isPublic, boolean hidden,
                       Optional<String> name, ListenerAuth auth, Optional<Integer> fileBitrate,
                       boolean enabled, LowLatency lowLatency) {
        this(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden, name, auth,
                fileBitrate, enabled, lowLatency, List.of());
    }

    /** A mount with the default latency (audio gathered for {@code limits.chunk_ms}). */
    public MountConfig(String path, Optional<Secret> password, int maxListeners, Optional<Integer> burstSize,
                       Optional<String> fallback, boolean fallbackOverride, boolean isPublic, boolean hidden,
                       Optional<String> name, ListenerAuth auth, Optional<Integer> fileBitrate, boolean enabled) {
        this(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden, name, auth,
                fileBitrate, enabled, LowLatency.OFF);
    }

    /** A mount anyone may listen to, enabled, at the default file bitrate. */
    public MountConfig(String path, Optional<Secret> password, int maxListeners, Optional<Integer> burstSize,
                       Optional<String> fallback, boolean fallbackOverride, boolean isPublic, boolean hidden,
                       Optional<String> name) {
        this(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden, name,
                ListenerAuth.NONE, Optional.empty(), true);
    }

    /**
     * The fallback chain from {@code start} when it runs in a circle ("/a -> /b -> /a"), else empty:
     * A -> B -> A would bounce listeners forever when both sources are down.
     */
    public static Optional<String> fallbackLoop(Map<String, MountConfig> mounts, String start) {
        List<String> chain = new ArrayList<>();
        String at = start;
        while (at != null && !chain.contains(at)) {
            chain.add(at);
            MountConfig next = mounts.get(at);
            at = next == null ? null : next.fallback().orElse(null);
        }
        return at == null ? Optional.empty() : Optional.of(String.join(" -> ", chain) + " -> " + at);
    }

    public static MountConfig defaultsFor(String path) {
        return new MountConfig(path, Optional.empty(), 0, Optional.empty(), Optional.empty(), false, true, false,
                Optional.empty());
    }

    public MountConfig withPassword(Secret secret) {
        return new MountConfig(path, Optional.of(secret), maxListeners, burstSize, fallback, fallbackOverride,
                isPublic, hidden, name, auth, fileBitrate, enabled, lowLatency, allowedIps);
    }

    public MountConfig withAuth(ListenerAuth newAuth) {
        return new MountConfig(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden,
                name, newAuth, fileBitrate, enabled, lowLatency, allowedIps);
    }

    public MountConfig withEnabled(boolean on) {
        return new MountConfig(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden,
                name, auth, fileBitrate, on, lowLatency, allowedIps);
    }

    public MountConfig withLowLatency(boolean on) {
        return new MountConfig(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden,
                name, auth, fileBitrate, enabled, lowLatency.withEnabled(on), allowedIps);
    }

    public MountConfig withAllowedIps(List<AddressRange> newAllowedIps) {
        return new MountConfig(path, password, maxListeners, burstSize, fallback, fallbackOverride, isPublic, hidden,
                name, auth, fileBitrate, enabled, lowLatency, newAllowedIps);
    }
}
