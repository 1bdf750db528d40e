package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.ClientAddresses;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.fixtures.FakePasswordHasher;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.fixtures.TestListeners;
import org.tinyice.application.history.HistoryEvent;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.out.ListenerAuthHook;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.StoredUserAgent;
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
    private final ListenerService service = TestListeners.service(mounts, config, counters,
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

    private ListenerService.Session admitted(String path) {
        return (ListenerService.Session) assertInstanceOf(ListenAdmission.Admitted.class, listen(path)).session();
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
        ListenerService.Session session = (ListenerService.Session) assertInstanceOf(ListenAdmission.Admitted.class,
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

    private static final EdgeAddress EDGE = new EdgeAddress("edge.example", 8000);

    private ListenAdmission listenAs(String path, String user, String password) {
        return service.listen(new ListenCommand(path, "192.0.2.8", "TinyIce/0.1 relay", Optional.of(
                new Credentials(user, password)), () -> { }));
    }

    @Test
    void aFullMountSendsTheListenerToAnEdgeAndLeavesTheCountsAsTheyWere() {
        config.replace(config.get().withRedirectTo(List.of(EDGE)));
        Mount mount = live("/small");
        admitted("/small");
        admitted("/small");
        assertEquals(new ListenAdmission.Redirected(EDGE), listen("/small"));
        assertEquals(2, counters.listeners());
        assertEquals(2, mount.listenerCount());
    }

    @Test
    void aFullServerSendsTheListenerToAnEdgeToo() {
        config.replace(TestConfigs.withLimits(config.get(), 1, 32, 65_536).withRedirectTo(List.of(EDGE)));
        live("/a");
        admitted("/a");
        assertEquals(new ListenAdmission.Redirected(EDGE), listen("/a"));
        assertEquals(1, counters.listeners());
    }

    @Test
    void anEdgesRelayWithTheRelayAccountIsLetInPastTheLimitsNotSentToAnEdge() {
        config.replace(config.get().withRedirectTo(List.of(EDGE)).withRelayAccount("relay",
                Optional.of(FakePasswordHasher.hashed("relay-pw"))));
        Mount mount = live("/small");
        admitted("/small");
        admitted("/small");
        assertInstanceOf(ListenAdmission.Admitted.class, listenAs("/small", "relay", "relay-pw"));
        assertInstanceOf(ListenAdmission.Admitted.class, listenAs("/small", TestConfigs.ADMIN_USER,
                TestConfigs.ADMIN_PASSWORD), "an edge may fetch the list with the admin's account");
        assertEquals(4, mount.listenerCount());
        assertEquals(new ListenAdmission.Redirected(EDGE), listenAs("/small", "relay", "wrong"),
                "wrong credentials make a listener like any other");
        assertEquals(new ListenAdmission.Redirected(EDGE), listen("/small"));
    }

    @Test
    void withoutAnEdgeAFullMountRefusesAsEver() {
        config.replace(config.get().withRelayAccount("relay",
                Optional.of(FakePasswordHasher.hashed("relay-pw"))));
        live("/small");
        admitted("/small");
        admitted("/small");
        assertInstanceOf(ListenAdmission.MountFull.class, listen("/small"));
        assertInstanceOf(ListenAdmission.Admitted.class, listenAs("/small", "relay", "relay-pw"),
                "an edge's relay is let in whether or not there are edges to redirect to");
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
        ListenerService.Session first = admitted("/small");
        admitted("/small");
        first.leave();
        admitted("/small");
        assertEquals(2, counters.listeners());
    }

    @Test
    void leaveIsIdempotent() {
        Mount mount = live("/live");
        ListenerService.Session staying = admitted("/live");
        ListenerService.Session leaving = admitted("/live");
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

    /** A service whose mounts ask a hook that admits everyone and counts what it is asked. */
    private ListenerService hooked(AtomicInteger asked, List<HistoryEvent> history) {
        ListenerAuth hook = new ListenerAuth.UrlHook(URI.create("http://hook.invalid/add"), Optional.empty(),
                Duration.ofSeconds(1), false);
        config.replace(TestConfigs.config(TestConfigs.mount("/paid", 1, Optional.empty(), false).withAuth(hook)));
        ListenerAuthHook counting = new ListenerAuthHook() {
            @Override
            public Decision listenerAdd(URI url, ListenerAdd request, Duration timeout) {
                asked.incrementAndGet();
                return Decision.ADMIT;
            }

            @Override
            public void listenerRemove(URI url, ListenerRemove notice) {
                asked.incrementAndGet();
            }
        };
        return new ListenerService(config, counters, Clock.fixed(NOW, ZoneOffset.UTC),
                TestCredentials.checker(config), counting, history::add,
                new ClientAddresses(config), new Fallbacks(mounts, config),
                new EdgeRedirects(config, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @Test
    void theHookIsNotAskedForAListenerTheLimitsRefuseAnyway() {
        AtomicInteger asked = new AtomicInteger();
        ListenerService service = hooked(asked, new ArrayList<>());
        live("/paid");
        assertInstanceOf(ListenAdmission.Admitted.class,
                service.listen(new ListenCommand("/paid", "192.0.2.7", "VLC/3.0", () -> { })));
        assertEquals(1, asked.get());

        assertInstanceOf(ListenAdmission.MountFull.class,
                service.listen(new ListenCommand("/paid", "192.0.2.8", "VLC/3.0", () -> { })));
        config.replace(TestConfigs.withLimits(config.get(), 1, 32, 65_536));
        assertInstanceOf(ListenAdmission.ServerFull.class,
                service.listen(new ListenCommand("/paid", "192.0.2.8", "VLC/3.0", () -> { })));
        assertEquals(1, asked.get(), "refused by a limit before the hook was asked");
    }

    @Test
    void aHeadIsAnsweredWithoutAskingOrTellingTheHook() {
        AtomicInteger asked = new AtomicInteger();
        ListenerService service = hooked(asked, new ArrayList<>());
        live("/paid");
        ListenAdmission anonymous = service.listen(new ListenCommand("/paid", "192.0.2.7", "VLC/3.0",
                Optional.empty(), () -> { }, true));
        assertTrue(assertInstanceOf(ListenAdmission.Unauthorized.class, anonymous).challenge());
        ListenAdmission withCredentials = service.listen(new ListenCommand("/paid", "192.0.2.7", "VLC/3.0",
                Optional.of(new Credentials("good", "pw")), () -> { }, true));
        assertFalse(assertInstanceOf(ListenAdmission.Unauthorized.class, withCredentials).challenge());
        assertEquals(0, asked.get());
        assertEquals(0, counters.listenerAuthFailures(), "nobody failed to authenticate");
    }

    @Test
    void aHugeUserAgentIsKeptTo512BytesWhereverItIsStored() {
        List<HistoryEvent> history = new ArrayList<>();
        ListenerService service = hooked(new AtomicInteger(), history);
        live("/live");
        String huge = "\u00e9".repeat(8 * 1024);
        ListenerService.Session session = (ListenerService.Session) assertInstanceOf(ListenAdmission.Admitted.class,
                service.listen(new ListenCommand("/live", "192.0.2.7", huge, () -> { }))).session();
        session.leave();

        assertEquals(StoredUserAgent.of(huge), session.listener().userAgent());
        assertEquals(512, session.listener().userAgent().getBytes(StandardCharsets.UTF_8).length);
        HistoryEvent.ListenerLeft left = assertInstanceOf(HistoryEvent.ListenerLeft.class, history.getFirst());
        assertEquals(session.listener().userAgent(), left.session().userAgent());
    }
}
