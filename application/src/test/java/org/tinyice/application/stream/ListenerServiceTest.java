package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.in.ListenUseCase.ListenerSession;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.RingCursor;
import org.tinyice.domain.stream.StreamRing;

class ListenerServiceTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final int CHUNK = 1000;

    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(TestConfigs.config(
            TestConfigs.mount("/small", 2, Optional.empty(), false),
            TestConfigs.mount("/short-burst", 0, Optional.of(10_000), false),
            TestConfigs.mount("/no-burst", 0, Optional.of(0), false)));
    private final ServerCounters counters = new ServerCounters(Instant.EPOCH);
    private final ListenerService service = new ListenerService(mounts, config, counters,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private Mount live(String path) {
        Mount mount = new Mount(path, TestConfigs.mp3(), new StreamRing(512));
        mounts.claim(path, () -> mount);
        return mount;
    }

    private static void publishChunks(Mount mount, int count) {
        for (int i = 0; i < count; i++) {
            mount.ring().publishOwned(new byte[CHUNK]);
        }
    }

    private ListenAdmission listen(String path) {
        return service.listen(new ListenCommand(path, "192.0.2.7", "VLC/3.0", () -> { }));
    }

    private ListenerSession admitted(String path) {
        return assertInstanceOf(ListenAdmission.Admitted.class, listen(path)).session();
    }

    @Test
    void anUnknownMountIsNotFound() {
        assertInstanceOf(ListenAdmission.NotFound.class, listen("/nothing"));
        assertEquals(0, counters.listeners());
    }

    @Test
    void anAdmittedListenerIsCountedAndKnownToItsMount() {
        Mount mount = live("/live");
        AtomicInteger disconnects = new AtomicInteger();
        ListenerSession session = assertInstanceOf(ListenAdmission.Admitted.class,
                service.listen(new ListenCommand("/live", "192.0.2.7", "VLC/3.0", disconnects::incrementAndGet)))
                .session();

        assertSame(mount, session.mount());
        assertEquals(1, counters.listeners());
        assertEquals(1, mount.listenerCount());
        assertTrue(mount.listeners().contains(session.listener()));
        assertEquals("192.0.2.7", session.listener().remoteAddress());
        assertEquals("VLC/3.0", session.listener().userAgent());
        assertEquals(NOW, session.listener().connectedAt());
        session.listener().disconnect();
        assertEquals(1, disconnects.get(), "an admin kick reaches the connection");
    }

    @Test
    void aFullMountRefusesAndLeavesTheServerCountAsItWas() {
        Mount mount = live("/small");
        admitted("/small");
        admitted("/small");
        assertInstanceOf(ListenAdmission.MountFull.class, listen("/small"));
        assertEquals(2, counters.listeners());
        assertEquals(2, mount.listenerCount());
    }

    @Test
    void aFullServerRefusesAndLeavesEveryCountAsItWas() {
        config.replace(TestConfigs.withLimits(config.get(), 2, 32, 65_536));
        Mount a = live("/a");
        Mount b = live("/b");
        admitted("/a");
        admitted("/b");
        assertInstanceOf(ListenAdmission.ServerFull.class, listen("/a"));
        assertInstanceOf(ListenAdmission.ServerFull.class, listen("/b"));
        assertEquals(2, counters.listeners());
        assertEquals(1, a.listenerCount());
        assertEquals(1, b.listenerCount());
    }

    @Test
    void leavingFreesThePlace() {
        live("/small");
        ListenerSession first = admitted("/small");
        admitted("/small");
        first.leave();
        admitted("/small");
        assertEquals(2, counters.listeners());
    }

    @Test
    void leaveIsIdempotent() {
        Mount mount = live("/live");
        ListenerSession staying = admitted("/live");
        ListenerSession leaving = admitted("/live");
        leaving.leave();
        leaving.leave();
        assertEquals(1, counters.listeners());
        assertEquals(1, mount.listenerCount());
        assertTrue(mount.listeners().contains(staying.listener()));
        staying.leave();
        assertEquals(0, counters.listeners());
        assertEquals(0, mount.listenerCount());
    }

    @Test
    void aNewListenerStartsAboutTheBurstSizeBack() {
        Mount mount = live("/live");
        publishChunks(mount, 100);
        RingCursor cursor = admitted("/live").cursor();

        long burstBytes = cursor.lag() * CHUNK;
        int wanted = config.get().limits().burstSize();
        assertTrue(burstBytes >= wanted && burstBytes < wanted + CHUNK, "burst of " + burstBytes + " bytes");
        assertEquals(100 - 66, cursor.position());
    }

    @Test
    void aMountsOwnBurstSizeWins() {
        Mount shortBurst = live("/short-burst");
        publishChunks(shortBurst, 100);
        assertEquals(10, admitted("/short-burst").cursor().lag());

        Mount noBurst = live("/no-burst");
        publishChunks(noBurst, 100);
        RingCursor live = admitted("/no-burst").cursor();
        assertEquals(noBurst.ring().head(), live.position());
    }

    @Test
    void aListenerOnAYoungStreamGetsWhatThereIs() {
        Mount mount = live("/live");
        publishChunks(mount, 3);
        assertEquals(0, admitted("/live").cursor().position());
    }
}
