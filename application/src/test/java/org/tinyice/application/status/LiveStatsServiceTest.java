package org.tinyice.application.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LiveStatsQuery.LiveMount;
import org.tinyice.application.port.in.LiveStatsQuery.LiveStats;
import org.tinyice.application.port.in.LiveStatsQuery.PublicMount;
import org.tinyice.application.stream.ServerCounters;
import org.tinyice.domain.mount.Listener;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.StreamRing;

class LiveStatsServiceTest {

    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser ANNA = new DashboardUser("anna", Role.DJ, Set.of("/anna"));

    final TestClock clock = new TestClock();
    final MountRegistry registry = new MountRegistry();
    final FixedProcess process = new FixedProcess();
    final CurrentConfig config = new CurrentConfig(ServerConfig.defaults().withCredentials("admin", Optional.empty(),
            Optional.empty(), Map.of(
                    "/secret", new MountConfig("/secret", Optional.empty(), 0, Optional.empty(), Optional.empty(),
                            false, true, true, Optional.empty()),
                    "/unlisted", new MountConfig("/unlisted", Optional.empty(), 0, Optional.empty(),
                            Optional.empty(), false, false, false, Optional.of("Unlisted")))));
    final LiveStatsService live = new LiveStatsService(registry, config, new ServerCounters(clock.instant()), clock,
            process, new Permissions());

    static final class FixedProcess implements ProcessUsage {
        long cpu;

        @Override
        public long heapUsed() {
            return 10_000_000;
        }

        @Override
        public long heapMax() {
            return 128_000_000;
        }

        @Override
        public long cpuNanos() {
            return cpu;
        }

        @Override
        public int processors() {
            return 2;
        }
    }

    Mount mount(String path, Map<String, String> headers) {
        Mount mount = new Mount(path, new SourceInfo("audio/mpeg", headers, "ffmpeg", "192.0.2.5", clock.instant()),
                new StreamRing(16));
        registry.claim(path, () -> mount).orElseThrow();
        return mount;
    }

    @Test
    void ratesAreTheChangeSinceTheLastSnapshot() {
        Mount anna = mount("/anna", Map.of("ice-name", "Anna's show"));
        anna.tryAdd(new Listener("192.0.2.9", "vlc", clock.instant(), () -> { }), 0);
        anna.title("Artist - Song");
        live.liveStats(ADMIN);
        clock.advance(Duration.ofSeconds(1));
        anna.countRead(16_000);
        anna.countSent(32_000);
        process.cpu += 500_000_000; // half a core-second in one second on two cores: 25 %
        LiveStats stats = live.liveStats(ADMIN);
        LiveMount m = stats.mounts().getFirst();
        assertEquals(16_000, m.bytesInPerSecond());
        assertEquals(32_000, m.bytesOutPerSecond());
        assertEquals(128, m.bitrateKbps(), "measured when the source announces none");
        assertEquals(16_000, stats.bytesInPerSecond());
        assertEquals(25.0, stats.cpuPercent());
        assertEquals(1, m.listeners());
        assertEquals(Optional.of("Artist - Song"), m.title());
        assertEquals(Optional.of("Anna's show"), m.name());
        assertEquals("192.0.2.5", m.sourceAddress());
        assertEquals(10_000_000, stats.heapUsed());
    }

    @Test
    void viewersWithinAQuarterSecondShareOneSnapshot() {
        mount("/anna", Map.of());
        LiveStats first = live.liveStats(ADMIN);
        clock.advance(Duration.ofMillis(200));
        assertSame(first, live.liveStats(ADMIN));
        clock.advance(Duration.ofMillis(100));
        assertEquals(clock.instant(), live.liveStats(ADMIN).at());
    }

    @Test
    void aDjSeesOnlyItsMountsAndTheirTotals() {
        Mount anna = mount("/anna", Map.of("ice-bitrate", "192"));
        Mount bob = mount("/bob", Map.of());
        bob.tryAdd(new Listener("192.0.2.9", "vlc", clock.instant(), () -> { }), 0);
        bob.tryAdd(new Listener("192.0.2.10", "vlc", clock.instant(), () -> { }), 0);
        anna.tryAdd(new Listener("192.0.2.11", "vlc", clock.instant(), () -> { }), 0);
        LiveStats stats = live.liveStats(ANNA);
        assertEquals(List.of("/anna"), stats.mounts().stream().map(LiveMount::path).toList());
        assertEquals(1, stats.listeners());
        assertEquals(1, stats.sources());
        assertEquals(192, stats.mounts().getFirst().bitrateKbps(), "as announced");
        assertEquals(2, live.liveStats(ADMIN).mounts().size());
    }

    @Test
    void thePublicSeesPublicNotHiddenMountsOnly() {
        mount("/anna", Map.of());
        mount("/secret", Map.of());
        mount("/unlisted", Map.of());
        List<PublicMount> mounts = live.publicMounts();
        assertEquals(List.of("/anna"), mounts.stream().map(PublicMount::path).toList());
        assertEquals(3, live.liveStats(ADMIN).mounts().size(), "admins see every mount");
        assertEquals(Instant.parse("2026-11-24T08:00:00Z"), live.liveStats(ADMIN).serverStart());
    }
}
