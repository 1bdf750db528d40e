package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tinyice.application.fixtures.TestConfigs.SOURCE;
import static org.tinyice.application.fixtures.TestConfigs.WRONG;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.ClientAddresses;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ListenerAuth;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.in.StartSourceUseCase.SourceAdmission;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.in.StartSourceUseCase.StartSourceCommand;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.ListenerAuthHook;
import org.tinyice.domain.mount.Mount;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.ChunkPolicy;
import org.tinyice.domain.stream.RingCursor;

/**
 * File mounts through the use cases: sources leaving, listeners arriving, a source taking a file's
 * path over, the players' pace, and when they stop. Time is a {@link ManualTime}: the tests move it.
 */
class FileMountsTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    /** A second of 64 kbit/s audio: 28 frames of 36 ms (1.008 s), 8,064 bytes. */
    private static final byte[] LOOP = Mp3Fixtures.frames(28);

    private final Map<String, byte[]> stored = new ConcurrentHashMap<>(Map.of(
            "/loop.mp3", LOOP, "/other.mp3", LOOP, "/bad.mp3", "no frames here".repeat(50).getBytes(),
            "/loop.ogg", new byte[50_000]));
    private final FallbackFiles files = path -> Optional.ofNullable(stored.get(path)).flatMap(bytes ->
            FallbackFiles.contentTypeOf(path).map(type -> new FallbackFiles.FallbackFile(path, type,
                    () -> new ByteArrayInputStream(bytes))));
    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(noChunkDelay(TestConfigs.config(
            fallingBackTo("/main", "/loop.mp3", true),
            fallingBackTo("/chain", "/missing.mp3", false),
            fallingBackTo("/missing.mp3", "/loop.mp3", false),
            fallingBackTo("/broken", "/bad.mp3", false),
            fallingBackTo("/ogg", "/loop.ogg", false),
            new MountConfig("/loop.ogg", Optional.empty(), 0, Optional.empty(), Optional.empty(), false, true, false,
                    Optional.empty(), ListenerAuth.NONE, Optional.of(64), true))));
    private static org.tinyice.application.config.ServerConfig noChunkDelay(
            org.tinyice.application.config.ServerConfig c) {
        return c.withLimits(c.limits().withChunkDelay(Duration.ZERO));
    }

    private final ServerCounters counters = new ServerCounters(Instant.EPOCH);
    private final ManualTime time = new ManualTime();
    private final CredentialChecker credentials = TestCredentials.checker(config);
    /** Each stretch published at once ({@code limits.chunk_ms} 0), so what a listener can read follows the player exactly. */
    private final SourceService sources = new SourceService(mounts, credentials, config, counters,
            new ChunkPolicy(1 << 20, 0), files, new FileMounts.Timing(Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC),
            time, time, Thread.ofPlatform().name("test-file-player-", 0).daemon().factory()));
    private final ListenerService listeners = new ListenerService(config, counters,
            Clock.fixed(NOW, ZoneOffset.UTC), credentials, ListenerAuthHook.UNREACHABLE, event -> { },
            new ClientAddresses(config), sources.fallbacks(), new EdgeRedirects(config, Clock.fixed(NOW, ZoneOffset.UTC)));
    private final FileMounts fileMounts = sources.fileMounts();

    private static MountConfig fallingBackTo(String path, String fallback, boolean override) {
        return new MountConfig(path, Optional.empty(), 0, Optional.empty(), Optional.of(fallback), override, true,
                false, Optional.empty());
    }

    @AfterEach
    void stopPlayers() {
        fileMounts.close();
    }

    private SourceSession source(String path) {
        return assertInstanceOf(SourceAdmission.Started.class, sources.start(new StartSourceCommand(path, SOURCE,
                TestConfigs.mp3()))).session();
    }

    private ListenAdmission listen(String path) {
        return listeners.listen(new ListenCommand(path, "192.0.2.7", "VLC/3.0", () -> { }));
    }

    private ListenerService.Session listener(String path) {
        return (ListenerService.Session) assertInstanceOf(ListenAdmission.Admitted.class, listen(path)).session();
    }

    private static byte[] drain(RingCursor cursor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk chunk = cursor.next(); chunk != null; chunk = cursor.next()) {
            out.writeBytes(chunk.bytes());
        }
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aSourceThatLeavesHandsItsListenersToTheFileItsFallbackNames() throws Exception {
        SourceSession main = source("/main");
        ListenerService.Session session = listener("/main");

        main.finish();

        assertTrue(session.followMove(), "moved on the same connection");
        Mount file = session.mount();
        assertEquals("/loop.mp3", file.path());
        assertTrue(fileMounts.isFileMount(file));
        assertEquals("audio/mpeg", file.source().contentType());
        assertEquals("/main", session.listener().home());
        time.awaitCaughtUp();
        time.play(Duration.ofSeconds(1), Duration.ofMillis(100));
        byte[] heard = drain(session.cursor());
        assertTrue(heard.length >= 8 * Mp3Fixtures.FRAME_LENGTH, "heard " + heard.length);
        assertTrue(contains(Mp3Fixtures.concat(LOOP, LOOP), heard), "whole frames of the file, in its order");
        assertEquals(0, counters.sources(), "a file mount is not a source");
    }

    @Test
    void aSourceThatLeavesWithoutListenersStartsNoFile() {
        source("/main").finish();

        assertEquals(List.of(), fileMounts.playing());
        assertTrue(mounts.find("/loop.mp3").isEmpty());
    }

    @Test
    void aListenerWhoArrivesWhileItsMountIsDownGetsTheFile() throws Exception {
        ListenerService.Session first = listener("/main");
        ListenerService.Session second = listener("/main");

        assertEquals("/loop.mp3", first.mount().path());
        assertSame(first.mount(), second.mount(), "one player, one position, for all");
        assertEquals(List.of("/loop.mp3"), fileMounts.playing());
        assertEquals(2, first.mount().listenerCount());
    }

    @Test
    void aChainPassesLinksWithoutAFileOnToTheNext() {
        assertEquals("/loop.mp3", listener("/chain").mount().path());
    }

    @Test
    void onlyPathsThatAFallbackNamesPlayAFile() {
        assertInstanceOf(ListenAdmission.NotFound.class, listen("/other.mp3"), "stored, but no fallback names it");
        assertInstanceOf(ListenAdmission.NotFound.class, listen("/nothing"));
        assertEquals(List.of(), fileMounts.playing());
        assertEquals("/loop.mp3", listener("/loop.mp3").mount().path(), "a fallback names it: it plays when asked");
    }

    @Test
    void theFileIsSentAtThePaceOfItsFramesInALoop() throws Exception {
        ListenerService.Session session = listener("/main");
        Mount file = session.mount();
        RingCursor cursor = session.cursor(); // placed for the burst: from the ring's first byte
        time.awaitCaughtUp();

        time.play(Duration.ofSeconds(10), Duration.ofMillis(100));

        // sent when due: 10 s of audio (80,000 bytes) and at most one stretch ahead (3 frames)
        long sent = file.bytesRead();
        assertTrue(sent >= 80_000 && sent <= 80_000 + 4 * Mp3Fixtures.FRAME_LENGTH, "bytes sent: " + sent);
        byte[] heard = drain(cursor);
        assertEquals(sent, heard.length);
        for (int at = 0; at + LOOP.length <= heard.length; at += LOOP.length) {
            assertArrayEquals(LOOP, java.util.Arrays.copyOfRange(heard, at, at + LOOP.length), "turn at " + at);
        }
    }

    @Test
    void otherFormatsAreSentAtTheirMountsFileBitrate() throws Exception {
        Mount file = listener("/ogg").mount();
        assertEquals("application/ogg", file.source().contentType());
        time.awaitCaughtUp();

        time.play(Duration.ofSeconds(10), Duration.ofMillis(100));

        // file_bitrate 64: 8,000 bytes a second
        long sent = file.bytesRead();
        assertTrue(sent >= 80_000 && sent <= 81_000, "bytes sent: " + sent);
    }

    @Test
    void aSourceOnTheFilesPathTakesItOverAndItsListenersStay() throws Exception {
        ListenerService.Session session = listener("/loop.mp3");
        Mount file = session.mount();
        time.awaitCaughtUp();

        SourceSession live = source("/loop.mp3");

        Mount taken = mounts.find("/loop.mp3").orElseThrow();
        assertNotSame(file, taken);
        assertFalse(fileMounts.isFileMount(taken));
        assertTrue(file.ring().isClosed());
        assertTrue(session.followMove());
        assertSame(taken, session.mount());
        eventually("the player stopped", () -> fileMounts.playing().isEmpty());
        assertEquals(1, counters.sources());
        live.finish();
        assertEquals(0, counters.sources());
    }

    @Test
    void theWrongPasswordTakesNothingOverAndTheFilePlaysOn() throws Exception {
        Mount file = listener("/loop.mp3").mount();

        assertInstanceOf(SourceAdmission.Unauthorized.class,
                sources.start(new StartSourceCommand("/loop.mp3", WRONG, TestConfigs.mp3())));
        assertInstanceOf(SourceAdmission.Unauthorized.class,
                sources.start(new StartSourceCommand("/loop.mp3", Credentials.none(), TestConfigs.mp3())));

        assertSame(file, mounts.find("/loop.mp3").orElseThrow());
        assertEquals(List.of("/loop.mp3"), fileMounts.playing());
    }

    @Test
    void theSourceComingBackWithOverrideBringsItsListenersHome() throws Exception {
        ListenerService.Session session = listener("/main");
        assertEquals("/loop.mp3", session.mount().path());

        source("/main");

        assertTrue(session.followMove());
        assertEquals("/main", session.mount().path());
    }

    @Test
    void aFileMountWithoutListenersStopsAfterTheLingerTime() throws Exception {
        ListenerService.Session session = listener("/main");
        Mount file = session.mount();
        time.awaitCaughtUp();
        session.leave();

        time.play(Duration.ofSeconds(29), Duration.ofSeconds(1));
        assertSame(file, mounts.find("/loop.mp3").orElseThrow(), "still lingering");

        time.advance(Duration.ofSeconds(2));
        eventually("the file mount stopped", () -> mounts.find("/loop.mp3").isEmpty());
        assertTrue(file.ring().isClosed());
        eventually("its player is gone", () -> fileMounts.playing().isEmpty());

        assertNotSame(file, listener("/main").mount(), "the next listener starts it again");
    }

    @Test
    void aFileMountWithListenersPlaysOn() throws Exception {
        Mount file = listener("/main").mount();
        time.awaitCaughtUp();

        time.play(Duration.ofSeconds(120), Duration.ofSeconds(1));

        assertSame(file, mounts.find("/loop.mp3").orElseThrow());
    }

    @Test
    void aFileWithoutAudioEndsItsMount() throws Exception {
        Mount bad = listener("/broken").mount();
        assertEquals("/bad.mp3", bad.path());

        eventually("the mount ended", () -> bad.ring().isClosed() && mounts.find("/bad.mp3").isEmpty());
    }

    @Test
    void closingStopsThePlayersAndNoneStartsAgain() throws Exception {
        Mount file = listener("/main").mount();
        time.awaitCaughtUp();

        fileMounts.close();

        assertTrue(file.ring().isClosed());
        assertTrue(mounts.find("/loop.mp3").isEmpty());
        assertEquals(List.of(), fileMounts.playing());
        assertInstanceOf(ListenAdmission.NotFound.class, listen("/main"));
    }

    @Test
    void killingAFileMountsSourceEndsIt() throws Exception {
        Mount file = listener("/main").mount();
        time.awaitCaughtUp();

        file.disconnectSource(); // admin "kill source"

        eventually("the mount ended", () -> file.ring().isClosed() && mounts.find("/loop.mp3").isEmpty());
    }
}
