package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestListeners;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.in.ListenerFeed.Step;
import org.tinyice.domain.icy.IcyInterleaver;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.CodecHeaders;
import org.tinyice.domain.stream.StreamRing;

class RingListenerFeedTest {

    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(TestConfigs.config(
            TestConfigs.mount("/live", 0, Optional.of(0), false),
            TestConfigs.mount("/other", 0, Optional.of(0), false),
            TestConfigs.mount("/ogg", 0, Optional.of(0), false)));
    private final ServerCounters counters = new ServerCounters(Instant.EPOCH);
    private final ListenerService service = TestListeners.service(mounts, config, counters,
            Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private Mount live(String path, int ringChunks) {
        Mount mount = new Mount(path, path.equals("/ogg") ? TestConfigs.ogg() : TestConfigs.mp3(),
                new StreamRing(ringChunks));
        mounts.claim(path, () -> mount);
        return mount;
    }

    private ListenerService.Session admitted(String path) {
        return (ListenerService.Session) assertInstanceOf(ListenAdmission.Admitted.class,
                service.listen(new ListenCommand(path, "192.0.2.7", "VLC/3.0", () -> { }))).session();
    }

    private Step step(ListenerFeed feed) {
        return feed.sendNext(sent::write);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void sendsEachChunkOnceInOrderThenWaitsAndCountsWhatItSent() {
        Mount mount = live("/live", 16);
        ListenerService.Session session = admitted("/live");
        ListenerFeed feed = session.feed(false);
        mount.ring().publishOwned(filled(100, 1));
        mount.ring().publishOwned(filled(50, 2));

        assertEquals(Step.SENT, step(feed));
        assertEquals(Step.SENT, step(feed));
        assertEquals(Step.CAUGHT_UP, step(feed));

        byte[] expected = new byte[150];
        Arrays.fill(expected, 100, 150, (byte) 2);
        Arrays.fill(expected, 0, 100, (byte) 1);
        assertArrayEquals(expected, sent.toByteArray());
        assertEquals(150, session.listener().bytesSent());
        assertEquals(150, mount.bytesSent());
        assertEquals(0, feed.metaint(), "no ICY metadata unless the player asks");
    }

    @Test
    void aPlayerThatAsksForIcyMetadataGetsTheTitleEveryMetaintBytes() {
        Mount mount = live("/live", 16);
        ListenerFeed feed = admitted("/live").feed(true);
        mount.ring().title("Band - Tune");
        mount.ring().publishOwned(filled(IcyInterleaver.DEFAULT_METAINT + 10, 7));

        assertEquals(IcyInterleaver.DEFAULT_METAINT, feed.metaint());
        assertEquals(Step.SENT, step(feed));

        byte[] out = sent.toByteArray();
        String block = new String(out, IcyInterleaver.DEFAULT_METAINT + 1, out[IcyInterleaver.DEFAULT_METAINT] * 16,
                StandardCharsets.UTF_8);
        assertTrue(block.startsWith("StreamTitle='Band - Tune';"), block);
    }

    @Test
    void anOggMountCarriesNoIcyMetadataAndALateJoinerGetsTheCodecHeadersFirst() {
        Mount mount = live("/ogg", 16);
        byte[] headerPages = filled(30, 9);
        mount.ring().headers(new CodecHeaders(0, headerPages));
        mount.ring().publishOwned(filled(40, 1));
        ListenerFeed feed = admitted("/ogg").feed(true);
        mount.ring().publishOwned(filled(40, 2));

        assertEquals(0, feed.metaint());
        assertEquals(Step.SENT, step(feed));
        byte[] out = sent.toByteArray();
        assertArrayEquals(headerPages, Arrays.copyOfRange(out, 0, 30));
        assertArrayEquals(filled(40, 2), Arrays.copyOfRange(out, 30, 70));
    }

    @Test
    void aListenerLappedFourTimesIsDroppedAndEachLapIsCounted() {
        Mount mount = live("/live", 4);
        ListenerService.Session session = admitted("/live");
        ListenerFeed feed = session.feed(false);
        for (int lap = 1; lap <= RingListenerFeed.MAX_LAPS; lap++) {
            for (int i = 0; i < 10; i++) {
                mount.ring().publishOwned(filled(10, lap));
            }
            assertEquals(Step.CAUGHT_UP, step(feed), "lap " + lap + " skips to the live edge");
            assertEquals(lap, session.listener().laps());
        }
        assertEquals(Step.CAUGHT_UP, step(feed), "nothing new after the skip");
        for (int i = 0; i < 10; i++) {
            mount.ring().publishOwned(filled(10, 9));
        }

        assertEquals(Step.TOO_SLOW, step(feed));
        assertEquals(RingListenerFeed.MAX_LAPS + 1, counters.listenerLaps());
        assertEquals(1, counters.listenersTooSlow());
        assertEquals(0, sent.size());
    }

    @Test
    void theFeedEndsWithTheStreamUnlessAFallbackTakesTheListener() {
        Mount mount = live("/live", 16);
        Mount other = live("/other", 16);
        ListenerService.Session stays = admitted("/live");
        ListenerService.Session moves = admitted("/live");
        ListenerFeed ending = stays.feed(false);
        ListenerFeed moving = moves.feed(false);
        mount.ring().publishOwned(filled(10, 1));
        moves.listener().requestMove(other);
        mount.end();

        assertEquals(Step.SENT, step(ending), "what was published before the end is still sent");
        assertEquals(Step.ENDED, step(ending));
        assertEquals(Step.CAUGHT_UP, step(moving), "moved to the live edge of /other");
        other.ring().publishOwned(filled(5, 3));
        assertEquals(Step.SENT, step(moving));
        assertEquals("/other", moves.mount().path());
    }

    @Test
    void aCaughtUpListenerIsWokenByThePublishOrByAMoveAndAPendingMoveNeedsNoWaiting() {
        Mount mount = live("/live", 16);
        Mount other = live("/other", 16);
        ListenerService.Session session = admitted("/live");
        ListenerFeed feed = session.feed(false);
        java.util.concurrent.atomic.AtomicInteger wakes = new java.util.concurrent.atomic.AtomicInteger();
        Runnable wake = wakes::incrementAndGet;

        assertEquals(Step.CAUGHT_UP, step(feed));
        assertTrue(feed.wakeWhenReady(wake), "nothing to send: it waits");
        mount.ring().publishOwned(filled(10, 1));
        assertEquals(1, wakes.get(), "the publish wakes it");
        assertEquals(false, feed.wakeWhenReady(wake), "a chunk is there: send instead of waiting");
        assertEquals(Step.SENT, step(feed));

        assertTrue(feed.wakeWhenReady(wake));
        mount.moveListenersTo(other);
        assertEquals(2, wakes.get(), "a move nudges it");
        assertEquals(false, feed.wakeWhenReady(wake), "the move is pending: no waiting");
        assertEquals(Step.CAUGHT_UP, step(feed), "moved, at the live edge of /other");
        assertEquals("/other", session.mount().path());
        assertTrue(feed.wakeWhenReady(wake));
        other.ring().publishOwned(filled(5, 3));
        assertEquals(3, wakes.get(), "now woken by /other's ring");
    }

    @Test
    void aFailingOutputStopsTheFeedWithItsException() {
        Mount mount = live("/live", 16);
        ListenerFeed feed = admitted("/live").feed(false);
        mount.ring().publishOwned(filled(10, 1));

        assertThrows(UncheckedIOException.class, () -> feed.sendNext((bytes, offset, length) -> {
            throw new UncheckedIOException(new java.io.IOException("listener gone"));
        }));
    }

    @Test
    void aStalledListenerIsCounted() {
        live("/live", 16);
        admitted("/live").feed(false).stalled();

        assertEquals(1, counters.listenersStalled());
    }
}
