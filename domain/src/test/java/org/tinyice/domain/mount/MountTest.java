package org.tinyice.domain.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tinyice.domain.stream.StreamFormat;
import org.tinyice.domain.stream.StreamRing;

class MountTest {

    private static SourceInfo source(String contentType) {
        return new SourceInfo(contentType, Map.of("Ice-Name", "Test"), "encoder", "10.0.0.1", Instant.EPOCH);
    }

    private static Mount mount(String path) {
        return new Mount(path, source("audio/mpeg"), new StreamRing(8));
    }

    private static Listener listener() {
        return new Listener("10.0.0.2", "player", Instant.EPOCH, () -> { });
    }

    @Test
    void zeroMaxListenersMeansNoLimit() {
        Mount mount = mount("/live");
        for (int i = 0; i < 1000; i++) {
            assertTrue(mount.tryAdd(listener(), 0));
        }
        assertEquals(1000, mount.listenerCount());
    }

    @Test
    void tryAddRefusesListenersBeyondTheLimit() {
        Mount mount = mount("/live");
        Listener first = listener();
        assertTrue(mount.tryAdd(first, 2));
        assertTrue(mount.tryAdd(listener(), 2));
        Listener third = listener();
        assertFalse(mount.tryAdd(third, 2));
        assertEquals(2, mount.listenerCount());
        assertFalse(mount.listeners().stream().anyMatch(l -> l.id() == third.id()));

        mount.remove(first);
        assertTrue(mount.tryAdd(third, 2), "a freed place can be taken again");
        assertEquals(2, mount.listenerCount());
    }

    @Test
    void peakTracksTheMostListenersEverConnectedAtOnce() {
        Mount mount = mount("/live");
        Listener a = listener();
        Listener b = listener();
        Listener c = listener();
        mount.tryAdd(a, 0);
        mount.tryAdd(b, 0);
        mount.tryAdd(c, 0);
        mount.remove(a);
        mount.remove(b);
        mount.tryAdd(listener(), 0);
        assertEquals(2, mount.listenerCount());
        assertEquals(3, mount.listenerPeak());
    }

    @Test
    void removingAListenerTwiceOnlyCountsOnce() {
        Mount mount = mount("/live");
        Listener a = listener();
        mount.tryAdd(a, 0);
        mount.tryAdd(listener(), 0);
        mount.remove(a);
        mount.remove(a);
        assertEquals(1, mount.listenerCount());
        mount.remove(listener()); // never added
        assertEquals(1, mount.listenerCount());
        assertEquals(1, mount.listeners().size());
    }

    @Test
    void concurrentListenersNeverExceedTheLimit() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Mount mount = mount("/live");
            AtomicInteger admitted = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (mount.tryAdd(listener(), 10)) {
                        admitted.incrementAndGet();
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(10, admitted.get());
            assertEquals(10, mount.listenerCount());
            assertEquals(10, mount.listeners().size());
            assertEquals(10, mount.listenerPeak());
        });
    }

    @Test
    void theTitleIsUnsetUntilSetAndThenReachesTheRing() {
        Mount mount = mount("/live");
        assertFalse(mount.hasTitle());
        assertEquals("", mount.title());
        mount.title("Now Playing");
        assertTrue(mount.hasTitle());
        assertEquals("Now Playing", mount.title());
        assertEquals("Now Playing", mount.ring().title());
        assertEquals("Now Playing", mount.ring().publishOwned(new byte[1]).title());
    }

    @Test
    void theFormatFollowsTheSourceContentType() {
        assertEquals(StreamFormat.RAW, mount("/a").format());
        assertEquals(StreamFormat.OGG, new Mount("/b", source("audio/ogg"), new StreamRing(2)).format());
        assertEquals(StreamFormat.RAW, new Mount("/c", source(null), new StreamRing(2)).format(),
                "no content type is taken as MP3");
    }

    @Test
    void endClosesTheRing() {
        Mount mount = mount("/live");
        mount.end();
        assertTrue(mount.ring().isClosed());
    }

    @Test
    void byteCountersAddUp() {
        Mount mount = mount("/live");
        mount.countRead(100);
        mount.countRead(23);
        mount.countSent(7);
        assertEquals(123, mount.bytesRead());
        assertEquals(7, mount.bytesSent());
        assertSame(Instant.EPOCH, mount.streamStart());
        assertEquals("Test", mount.source().header("ice-name").orElseThrow());
    }
}
