package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.fixtures.TestListeners;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.in.StartSourceUseCase.SourceAdmission;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.in.StartSourceUseCase.StartSourceCommand;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.domain.icy.IcyInterleaver;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.ChunkPolicy;

/**
 * Two processes in one test: a mount and an ICY listener described by one, continued by the other.
 * The listener gets from the second exactly the bytes it would have got had it stayed with the first.
 */
class StreamHandOverTest {

    private static final Optional<Credentials> SOURCE = TestConfigs.SOURCE;

    /** One TinyIce's stream services. */
    private static final class Process {
        final MountRegistry mounts = new MountRegistry();
        final CurrentConfig config = new CurrentConfig(TestConfigs.config());
        final ServerCounters counters;
        final SourceService sources;
        final ListenerService listeners;
        final StreamHandOver handOver;

        Process(Instant started) {
            counters = new ServerCounters(started);
            sources = new SourceService(mounts, TestCredentials.checker(config), config, counters,
                    new ChunkPolicy(1000, Long.MAX_VALUE), FallbackFiles.NONE, FileMounts.Timing.real());
            listeners = TestListeners.service(mounts, config, counters,
                    Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));
            handOver = new StreamHandOver(mounts, sources, listeners, counters, null);
        }
    }

    private static byte[] audio(int from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    private static void drain(ListenerFeed feed, ByteArrayOutputStream out) {
        while (feed.sendNext(out::write) == ListenerFeed.Step.SENT) {
            // all there is
        }
    }

    @Test
    void aListenerContinuedInAnotherProcessGetsTheSameBytesAsOneThatNeverMoved() {
        Process old = new Process(Instant.parse("2025-06-01T10:00:00Z"));
        Process reference = new Process(Instant.EPOCH); // the same stream with no take-over
        SourceSession source = started(old);
        SourceSession referenceSource = started(reference);
        ListenerFeed moving = listener(old, "192.0.2.1");
        listener(old, "192.0.2.2");
        ListenerFeed staying = listener(reference, "192.0.2.1");
        ByteArrayOutputStream movingOut = new ByteArrayOutputStream();
        ByteArrayOutputStream stayingOut = new ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            source.receive(audio(i, 1000), 0, 1000);
            referenceSource.receive(audio(i, 1000), 0, 1000);
        }
        drain(moving, movingOut);
        drain(staying, stayingOut);

        source.handOver();
        HandOverStreamsUseCase.MountState mount = old.handOver.mountState("/live").orElseThrow();
        HandOverStreamsUseCase.ListenerState listener = moving.handOverState().orElseThrow();
        assertEquals(IcyInterleaver.DEFAULT_METAINT, listener.metaint());
        assertTrue(old.mounts.find("/live").isPresent(), "handing over leaves the mount as it is");

        Process next = new Process(Instant.now());
        next.handOver.continueServer(old.handOver.serverState());
        assertEquals(Instant.parse("2025-06-01T10:00:00Z"), next.counters.started(), "uptime goes on");
        SourceSession continued = next.handOver.continueMount(mount, () -> { }).orElseThrow();
        ListenerFeed resumed = next.handOver.continueListener(listener, () -> { }).orElseThrow().feed();
        var nextMount = next.mounts.find("/live").orElseThrow();
        assertEquals("Before", nextMount.title());
        assertEquals(2, nextMount.listenerPeak(), "the peak goes on");
        assertEquals(1, nextMount.listenerCount());

        nextMount.title("After");
        reference.mounts.find("/live").orElseThrow().title("After");
        for (int i = 30; i < 60; i++) {
            continued.receive(audio(i, 1000), 0, 1000);
            referenceSource.receive(audio(i, 1000), 0, 1000);
        }
        drain(resumed, movingOut);
        drain(staying, stayingOut);
        assertTrue(stayingOut.size() > 40_000, "enough to cross ICY blocks: " + stayingOut.size());
        assertArrayEquals(stayingOut.toByteArray(), movingOut.toByteArray());
        assertTrue(new String(movingOut.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("StreamTitle='After';"), "the title set after the take-over reaches the continued listener");
    }

    private static SourceSession started(Process process) {
        SourceSession session = assertInstanceOf(SourceAdmission.Started.class,
                process.sources.start(new StartSourceCommand("/live", SOURCE, TestConfigs.mp3()))).session();
        process.mounts.find("/live").orElseThrow().title("Before");
        return session;
    }

    private static ListenerFeed listener(Process process, String address) {
        return ((ListenAdmission.Admitted) process.listeners.listen(
                new ListenCommand("/live", address, "VLC", () -> { }))).session().feed(true);
    }

    @Test
    void anOggMountCutInTheMiddleOfAPageGoesOnWithEveryPageWholeAndItsHeadersForLateJoiners() {
        byte[] headers = concat(oggPage(0x02, 0, 0, text("OpusHead", 19)), oggPage(0, 0, 1, text("OpusTags", 60)));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(headers);
        for (int page = 0; page < 40; page++) {
            whole.writeBytes(oggPage(0, 960L * (page + 1), page + 2, audio(page, 300 + 7 * page)));
        }
        byte[] stream = whole.toByteArray();
        int cut = headers.length + 5_000 + 13; // inside an audio page

        Process old = new Process(Instant.EPOCH);
        Process reference = new Process(Instant.EPOCH);
        SourceSession source = startedOgg(old);
        SourceSession referenceSource = startedOgg(reference);
        ListenerFeed moving = oggListener(old);
        ListenerFeed staying = oggListener(reference);
        source.receive(stream, 0, cut);
        referenceSource.receive(stream, 0, cut);
        ByteArrayOutputStream movingOut = new ByteArrayOutputStream();
        ByteArrayOutputStream stayingOut = new ByteArrayOutputStream();
        drain(moving, movingOut);
        drain(staying, stayingOut);

        source.handOver();
        HandOverStreamsUseCase.MountState mount = old.handOver.mountState("/ogg").orElseThrow();
        assertTrue(mount.unassembled().length > 0, "the page the cut fell in is not in the ring yet");
        assertArrayEquals(headers, mount.headers().pages());
        HandOverStreamsUseCase.ListenerState listener = moving.handOverState().orElseThrow();
        assertEquals(0, listener.metaint(), "no ICY metadata in Ogg");

        Process next = new Process(Instant.now());
        SourceSession continued = next.handOver.continueMount(mount, () -> { }).orElseThrow();
        ListenerFeed resumed = next.handOver.continueListener(listener, () -> { }).orElseThrow().feed();
        continued.receive(stream, cut, stream.length - cut);
        referenceSource.receive(stream, cut, stream.length - cut);
        ListenerFeed lateJoiner = oggListener(next);
        continued.finish();
        referenceSource.finish();
        drain(resumed, movingOut);
        drain(staying, stayingOut);

        assertArrayEquals(stream, stayingOut.toByteArray(), "the reference listener got the whole stream");
        assertArrayEquals(stayingOut.toByteArray(), movingOut.toByteArray(),
                "no byte lost or repeated at the seam");
        ByteArrayOutputStream late = new ByteArrayOutputStream();
        drain(lateJoiner, late);
        byte[] lateBytes = late.toByteArray();
        assertTrue(lateBytes.length > headers.length, "the late joiner gets a burst");
        assertArrayEquals(headers, Arrays.copyOf(lateBytes, headers.length),
                "a listener joining the continued mount gets the codec headers first");
    }

    private static SourceSession startedOgg(Process process) {
        return assertInstanceOf(SourceAdmission.Started.class,
                process.sources.start(new StartSourceCommand("/ogg", SOURCE, TestConfigs.ogg()))).session();
    }

    private static ListenerFeed oggListener(Process process) {
        return ((ListenAdmission.Admitted) process.listeners.listen(
                new ListenCommand("/ogg", "192.0.2.9", "VLC", () -> { }))).session().feed(true);
    }

    /** An Ogg page (CRC left 0: TinyIce passes pages through unchecked). */
    private static byte[] oggPage(int headerType, long granule, int pageSequence, byte[] body) {
        int full = body.length / 255;
        java.nio.ByteBuffer page = java.nio.ByteBuffer.allocate(27 + full + 1 + body.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        page.put("OggS".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 0).put((byte) headerType)
                .putLong(granule).putInt(7).putInt(pageSequence).putInt(0).put((byte) (full + 1));
        for (int i = 0; i < full; i++) {
            page.put((byte) 0xFF);
        }
        page.put((byte) (body.length % 255)).put(body);
        return page.array();
    }

    private static byte[] text(String start, int length) {
        return Arrays.copyOf(start.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
