package org.tinyice.application.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tinyice.application.config.Limits;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.domain.mount.SourceInfo;

/** Configurations and requests the service tests share. */
final class TestConfigs {

    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "admin-pw";
    static final String SOURCE_PASSWORD = "source-pw";
    static final String PRIVATE_MOUNT = "/private";
    static final String PRIVATE_PASSWORD = "private-pw";

    static final Optional<Credentials> ADMIN = Optional.of(new Credentials(ADMIN_USER, ADMIN_PASSWORD));
    static final Optional<Credentials> SOURCE = Optional.of(new Credentials("source", SOURCE_PASSWORD));
    static final Optional<Credentials> PRIVATE_SOURCE = Optional.of(new Credentials("source", PRIVATE_PASSWORD));
    static final Optional<Credentials> WRONG = Optional.of(new Credentials("source", "nope"));

    private TestConfigs() {
    }

    /** Defaults, hashed admin and source passwords, and {@code /private} with its own password. */
    static ServerConfig config(MountConfig... extraMounts) {
        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        mounts.put(PRIVATE_MOUNT, MountConfig.defaultsFor(PRIVATE_MOUNT)
                .withPassword(FakePasswordHasher.hashed(PRIVATE_PASSWORD)));
        for (MountConfig mount : extraMounts) {
            mounts.put(mount.path(), mount);
        }
        return ServerConfig.defaults().withCredentials(ADMIN_USER,
                Optional.of(FakePasswordHasher.hashed(ADMIN_PASSWORD)),
                Optional.of(FakePasswordHasher.hashed(SOURCE_PASSWORD)), mounts);
    }

    static ServerConfig withLimits(ServerConfig c, int maxListeners, int maxSources, int burstSize) {
        Limits limits = new Limits(maxListeners, maxSources, burstSize, Duration.ofSeconds(10), Duration.ofSeconds(15));
        return new ServerConfig(c.host(), c.port(), c.hostname(), c.location(), c.adminEmail(), c.adminUser(),
                c.adminPassword(), c.sourcePassword(), limits, c.mounts());
    }

    static MountConfig mount(String path, int maxListeners, Optional<Integer> burstSize, boolean hidden) {
        return new MountConfig(path, Optional.empty(), maxListeners, burstSize, Optional.empty(), false, true, hidden,
                Optional.empty());
    }

    static SourceInfo mp3() {
        return new SourceInfo("audio/mpeg", Map.of("ice-name", "Test Radio"), "ffmpeg", "10.0.0.1",
                Instant.parse("2025-01-01T00:00:00Z"));
    }

    static SourceInfo ogg() {
        return new SourceInfo("audio/ogg", Map.of(), "liquidsoap", "10.0.0.1", Instant.parse("2025-01-01T00:00:00Z"));
    }
}
