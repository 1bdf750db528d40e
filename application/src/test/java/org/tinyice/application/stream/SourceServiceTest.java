package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tinyice.application.fixtures.TestConfigs.ADMIN;
import static org.tinyice.application.fixtures.TestConfigs.PRIVATE_MOUNT;
import static org.tinyice.application.fixtures.TestConfigs.PRIVATE_SOURCE;
import static org.tinyice.application.fixtures.TestConfigs.SOURCE;
import static org.tinyice.application.fixtures.TestConfigs.WRONG;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.OggFixtures;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.StartSourceUseCase.SourceAdmission;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.in.StartSourceUseCase.StartSourceCommand;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.ChunkPolicy;
import org.tinyice.domain.stream.RingCursor;
import org.tinyice.domain.stream.StreamFormat;

class SourceServiceTest {

    /** Chunks of 100 bytes; their delay is the configuration's {@code limits.chunk_ms}. */
    private static final ChunkPolicy POLICY = new ChunkPolicy(100, Long.MAX_VALUE);

    private final MountRegistry mounts = new MountRegistry();
    /** {@code limits.chunk_ms} 5 s: nothing is published by age within a test, unless it sets another. */
    private final CurrentConfig config = new CurrentConfig(withChunkDelay(TestConfigs.config(), Duration.ofSeconds(5)));

    private static org.tinyice.application.config.ServerConfig withChunkDelay(
            org.tinyice.application.config.ServerConfig c, Duration delay) {
        return c.withLimits(c.limits().withChunkDelay(delay));
    }
    private final ServerCounters counters = new ServerCounters(Instant.EPOCH);
    private final SourceService service = new SourceService(mounts,
            TestCredentials.checker(config), config, counters, POLICY, FallbackFiles.NONE,
            FileMounts.Timing.real());

    private SourceAdmission start(String path, Optional<Credentials> credentials, SourceInfo source) {
        return service.start(new StartSourceCommand(path, credentials, source));
    }

    private SourceSession started(String path) {
        return assertInstanceOf(SourceAdmission.Started.class, start(path, SOURCE, TestConfigs.mp3())).session();
    }

    @Test
    void theRightSourcePasswordStartsAMount() {
        SourceSession session = started("/live");
        assertEquals("/live", session.mountPath());
        Mount mount = mounts.find("/live").orElseThrow();
        assertEquals(StreamFormat.RAW, mount.format());
        assertEquals("Test Radio", mount.source().header("ice-name").orElseThrow());
        assertEquals(1, counters.sources());
    }

    @Test
    void aWrongPasswordIsUnauthorizedAndNoMountAppears() {
        assertInstanceOf(SourceAdmission.Unauthorized.class, start("/live", WRONG, TestConfigs.mp3()));
        assertInstanceOf(SourceAdmission.Unauthorized.class, start("/live", Credentials.none(), TestConfigs.mp3()));
        assertInstanceOf(SourceAdmission.Unauthorized.class, start("/live", ADMIN, TestConfigs.mp3()),
                "the admin password is not a source password");
        assertTrue(mounts.find("/live").isEmpty());
        assertEquals(0, mounts.size());
        assertEquals(0, counters.sources());
    }

    @Test
    void aMountWithItsOwnPasswordTakesOnlyThatPassword() {
        assertInstanceOf(SourceAdmission.Unauthorized.class, start(PRIVATE_MOUNT, SOURCE, TestConfigs.mp3()));
        assertTrue(mounts.find(PRIVATE_MOUNT).isEmpty());
        assertInstanceOf(SourceAdmission.Started.class, start(PRIVATE_MOUNT, PRIVATE_SOURCE, TestConfigs.mp3()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "text/plain", "image/svg+xml", "application/xhtml+xml"})
    void aSourceDeclaringAPageInsteadOfAudioIsRefusedAndNoMountAppears(String contentType) {
        SourceInfo page = new SourceInfo(contentType, java.util.Map.of(), "curl", "10.0.0.1", Instant.EPOCH);
        assertInstanceOf(SourceAdmission.UnsupportedContentType.class, start("/x", SOURCE, page));
        assertEquals(0, mounts.size());
        assertEquals(0, counters.sources());
        assertInstanceOf(SourceAdmission.Unauthorized.class, start("/x", WRONG, page),
                "credentials are checked first, as for every other refusal");
    }

    @Test
    void aSourceWithoutContentTypeIsStillTakenAsMp3() {
        SourceInfo untyped = new SourceInfo(null, java.util.Map.of(), "encoder", "10.0.0.1", Instant.EPOCH);
        assertInstanceOf(SourceAdmission.Started.class, start("/untyped", SOURCE, untyped));
        assertEquals("audio/mpeg", mounts.find("/untyped").orElseThrow().source().contentType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "live", "/../etc", "/a//b", "/a b", "/é"})
    void anInvalidMountPathIsRefusedEvenWithTheRightPassword(String path) {
        assertInstanceOf(SourceAdmission.InvalidMount.class, start(path, SOURCE, TestConfigs.mp3()));
        assertEquals(0, mounts.size());
        assertEquals(0, counters.sources());
    }

    @Test
    void aSecondSourceOnTheSameMountIsRefusedAndTheFirstKeepsStreaming() {
        SourceSession first = started("/live");
        Mount mount = mounts.find("/live").orElseThrow();
        RingCursor listener = new RingCursor(mount.ring(), mount.ring().head());

        assertInstanceOf(SourceAdmission.MountInUse.class, start("/live", SOURCE, TestConfigs.mp3()));

        assertSame(mount, mounts.find("/live").orElseThrow());
        assertEquals(1, counters.sources());
        byte[] audio = new byte[100];
        audio[0] = 42;
        first.receive(audio, 0, audio.length);
        Chunk chunk = listener.next();
        assertNotNull(chunk);
        assertArrayEquals(audio, chunk.bytes());
        assertFalse(mount.ring().isClosed());
    }

    @Test
    void maxSourcesIsRespectedAndAFinishedSourceFreesItsPlace() {
        config.replace(TestConfigs.withLimits(config.get(), 100, 1, 65_536));
        SourceSession first = started("/one");
        assertInstanceOf(SourceAdmission.TooManySources.class, start("/two", SOURCE, TestConfigs.mp3()));
        assertTrue(mounts.find("/two").isEmpty());
        assertEquals(1, counters.sources());

        first.finish();
        assertEquals(0, counters.sources());
        started("/two");
        assertEquals(1, counters.sources());
    }

    @Test
    void finishRemovesTheMountAndEndsItsListenersStreams() {
        SourceSession session = started("/live");
        Mount mount = mounts.find("/live").orElseThrow();
        RingCursor listener = new RingCursor(mount.ring(), 0);
        session.receive(new byte[150], 0, 150);

        session.finish();

        assertTrue(mounts.find("/live").isEmpty());
        assertTrue(mount.ring().isClosed());
        assertEquals(0, counters.sources());
        // the listener still gets everything the source sent, including the held-back tail
        assertEquals(100, listener.next().length());
        assertEquals(50, listener.next().length());
        assertNull(listener.next());
        assertTrue(listener.streamEnded());
    }

    @Test
    void finishIsIdempotent() {
        SourceSession other = started("/other");
        SourceSession session = started("/live");
        assertEquals(2, counters.sources());
        session.finish();
        session.finish();
        assertEquals(1, counters.sources());
        assertTrue(mounts.find("/other").isPresent());
        other.finish();
        assertEquals(0, counters.sources());
    }

    @Test
    void aLateFinishOfAnOldSourceDoesNotRemoveTheNewSourcesMount() {
        SourceSession old = started("/live");
        old.finish();
        started("/live");
        Mount current = mounts.find("/live").orElseThrow();
        old.finish();
        assertSame(current, mounts.find("/live").orElseThrow());
        assertFalse(current.ring().isClosed());
    }

    @Test
    void receivedBytesAreCountedAndPublishedInChunks() {
        SourceSession session = started("/live");
        Mount mount = mounts.find("/live").orElseThrow();
        byte[] audio = new byte[250];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) i;
        }
        session.receive(audio, 0, 120);
        session.receive(audio, 120, 130);
        assertEquals(250, mount.bytesRead());
        assertEquals(2, mount.ring().head(), "two full chunks; the last 50 bytes wait");
        assertEquals(0, mount.ring().slot(0).bytes()[0]);
        assertEquals(100, mount.ring().slot(1).bytes()[0]);
    }

    @Test
    void flushIfDuePublishesAudioHeldBackByAPausedEncoder() {
        config.replace(withChunkDelay(config.get(), Duration.ofMillis(1)));
        SourceService patient = new SourceService(mounts, TestCredentials.checker(config),
                config, counters, new ChunkPolicy(4096, 1_000_000), // 1 ms
                FallbackFiles.NONE, FileMounts.Timing.real());
        SourceSession session = assertInstanceOf(SourceAdmission.Started.class,
                patient.start(new StartSourceCommand("/live", SOURCE, TestConfigs.mp3()))).session();
        Mount mount = mounts.find("/live").orElseThrow();
        session.receive(new byte[] {1, 2, 3}, 0, 3);
        assertEquals(0, mount.ring().head(), "a small read is held back for coalescing");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (mount.ring().head() == 0) {
                session.flushIfDue();
                Thread.sleep(1);
            }
        });
        assertArrayEquals(new byte[] {1, 2, 3}, mount.ring().slot(0).bytes());
    }

    @Test
    void aLowLatencyMountGathersForItsShortTimeAndTheSwitchAppliesToAStreamingSource() throws Exception {
        SourceSession session = started("/live");
        Mount mount = mounts.find("/live").orElseThrow();
        session.receive(new byte[10], 0, 10);
        Thread.sleep(50);
        session.receive(new byte[10], 0, 10);
        assertEquals(0, mount.ring().head(), "limits.chunk_ms (5 s) holds both");

        config.replace(config.get().withMounts(java.util.Map.of("/live",
                org.tinyice.application.config.MountConfig.defaultsFor("/live").withLowLatency(true))));
        session.flushIfDue();
        assertEquals(1, mount.ring().head(), "switched to low latency: what waited 50 ms is past its 40 ms");
        session.receive(new byte[10], 0, 10);
        assertEquals(1, mount.ring().head(), "a new read is gathered for up to 40 ms");
        Thread.sleep(50);
        session.flushIfDue();
        assertEquals(2, mount.ring().head());
    }

    @Test
    void flushIfDueNeverPublishesEarly() {
        SourceSession session = started("/live"); // limits.chunk_ms 5 s: nothing is due yet
        Mount mount = mounts.find("/live").orElseThrow();
        session.receive(new byte[10], 0, 10);
        session.flushIfDue();
        assertEquals(0, mount.ring().head());
    }

    @Test
    void aFlushTimerRacingTheSourceThreadNeverCorruptsOrReordersTheStream() {
        config.replace(withChunkDelay(config.get(), Duration.ZERO));
        SourceService eager = new SourceService(mounts, TestCredentials.checker(config),
                config, counters, new ChunkPolicy(512, 1), FallbackFiles.NONE, FileMounts.Timing.real());
        // (limits.chunk_ms 0: everything held back is due at once)
        SourceSession session = assertInstanceOf(SourceAdmission.Started.class,
                eager.start(new StartSourceCommand("/live", SOURCE, TestConfigs.mp3()))).session();
        Mount mount = mounts.find("/live").orElseThrow();
        byte[] input = new byte[400_000];
        new Random(17).nextBytes(input);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            RingCursor listener = new RingCursor(mount.ring(), 0);
            ByteArrayOutputStream heard = new ByteArrayOutputStream();
            AtomicBoolean sourceDone = new AtomicBoolean();
            AtomicLong read = new AtomicLong();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        Chunk chunk = listener.next();
                        if (chunk != null) {
                            heard.writeBytes(chunk.bytes());
                            read.set(chunk.sequence() + 1);
                        } else if (listener.streamEnded() || listener.laps() > 0) {
                            return;
                        } else {
                            listener.await(50, TimeUnit.MILLISECONDS);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread timer = Thread.ofPlatform().start(() -> {
                while (!sourceDone.get()) {
                    session.flushIfDue();
                    Thread.onSpinWait();
                }
            });
            Random sizes = new Random(18);
            int position = 0;
            while (position < input.length) {
                // the test keeps the source within half a ring of the listener so it cannot be lapped
                while (mount.ring().head() - read.get() > SourceService.RING_CHUNKS / 2 && reader.isAlive()) {
                    Thread.sleep(1);
                }
                int length = Math.min(input.length - position, 1 + sizes.nextInt(700));
                session.receive(input, position, length);
                position += length;
            }
            sourceDone.set(true);
            timer.join();
            session.finish();
            reader.join();

            assertEquals(0, listener.laps());
            assertArrayEquals(input, heard.toByteArray());
        });
    }

    @Test
    void anOggSourceGetsPageAlignedChunksAndItsCodecIsKnown() {
        SourceSession session = assertInstanceOf(SourceAdmission.Started.class,
                start("/ogg", SOURCE, TestConfigs.ogg())).session();
        Mount mount = mounts.find("/ogg").orElseThrow();
        assertEquals(StreamFormat.OGG, mount.format());

        byte[] stream = OggFixtures.opusStream(5);
        session.receive(stream, 0, stream.length);
        session.finish();

        assertEquals(Optional.of("Opus"), mount.ring().headers().codec());
        assertEquals(0, mount.ring().headers().firstSequence());
    }
}
