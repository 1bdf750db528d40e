package org.tinyice.application.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tinyice.application.fixtures.TestConfigs.ADMIN;
import static org.tinyice.application.fixtures.TestConfigs.SOURCE;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.OggFixtures;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.fixtures.TestListeners;
import org.tinyice.application.port.in.ListenUseCase.ListenAdmission;
import org.tinyice.application.port.in.ListenUseCase.ListenCommand;
import org.tinyice.application.port.in.ListenUseCase.ListenerSession;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;
import org.tinyice.application.port.in.ServerStatusQuery.ServerStatus;
import org.tinyice.application.port.in.StartSourceUseCase.SourceAdmission;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.in.StartSourceUseCase.StartSourceCommand;
import org.tinyice.application.port.in.UpdateMetadataUseCase.UpdateMetadataCommand;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.stream.FileMounts;
import org.tinyice.application.stream.ListenerService;
import org.tinyice.application.stream.MetadataService;
import org.tinyice.application.stream.ServerCounters;
import org.tinyice.application.stream.SourceService;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.ChunkPolicy;
import org.tinyice.domain.stream.StreamFormat;

class StatusServiceTest {

    private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");

    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(TestConfigs.config(
            TestConfigs.mount("/hidden", 0, Optional.empty(), true)));
    private final ServerCounters counters = new ServerCounters(STARTED);
    private final CredentialChecker credentials = TestCredentials.checker(config);
    private final SourceService sources = new SourceService(mounts, credentials, config, counters,
            new ChunkPolicy(100, Long.MAX_VALUE), FallbackFiles.NONE, FileMounts.Timing.real());
    private final ListenerService listeners = TestListeners.service(mounts, config, counters, Clock.systemUTC());
    private final MetadataService metadata = new MetadataService(mounts, credentials, new Permissions());
    private final StatusService status = new StatusService(mounts, config, counters);

    private SourceSession start(String path, SourceInfo source) {
        return assertInstanceOf(SourceAdmission.Started.class,
                sources.start(new StartSourceCommand(path, SOURCE, source))).session();
    }

    private ListenerSession listen(String path) {
        return assertInstanceOf(ListenAdmission.Admitted.class,
                listeners.listen(new ListenCommand(path, "192.0.2.1", "player", () -> { }))).session();
    }

    @Test
    void anEmptyServerReportsItsSettingsAndNoMounts() {
        ServerStatus now = status.status();
        assertEquals(STARTED, now.serverStart());
        assertEquals("localhost", now.hostname());
        assertEquals(8000, now.port());
        assertEquals("Earth", now.location());
        assertEquals("admin@localhost", now.adminEmail());
        assertEquals(0, now.listeners());
        assertEquals(0, now.sources());
        assertEquals(List.of(), now.mounts());
    }

    @Test
    void mountsAreListedSortedByPathWithHiddenOnesLeftOut() {
        start("/zeta", TestConfigs.mp3());
        start("/hidden", TestConfigs.mp3());
        start("/alpha", TestConfigs.mp3());
        start("/mid", TestConfigs.mp3());

        ServerStatus now = status.status();
        assertEquals(List.of("/alpha", "/mid", "/zeta"), now.mounts().stream().map(MountStatus::path).toList());
        assertEquals(4, now.sources(), "a hidden mount still counts as a source");
        assertTrue(status.mount("/hidden").isPresent(), "asked for by name, a hidden mount is found");
        assertTrue(status.mount("/hidden").orElseThrow().config().hidden());
    }

    @Test
    void aFinishedSourceDisappearsFromStatus() {
        SourceSession session = start("/live", TestConfigs.mp3());
        session.finish();
        assertEquals(List.of(), status.status().mounts());
        assertTrue(status.mount("/live").isEmpty());
        assertEquals(0, status.status().sources());
    }

    @Test
    void theTitleIsReportedOnlyOnceSet() {
        start("/live", TestConfigs.mp3());
        assertEquals(Optional.empty(), status.mount("/live").orElseThrow().title());

        metadata.update(new UpdateMetadataCommand("/live", ADMIN, "192.0.2.1", Optional.of("Now"), Optional.empty(),
                Optional.empty()));
        assertEquals(Optional.of("Now"), status.mount("/live").orElseThrow().title());
        assertEquals(Optional.of("Now"), status.status().mounts().getFirst().title());
    }

    @Test
    void listenerCountsPeakAndBytesAreReported() {
        SourceSession session = start("/live", TestConfigs.mp3());
        ListenerSession a = listen("/live");
        listen("/live");
        a.leave();
        session.receive(new byte[300], 0, 300);

        MountStatus live = status.mount("/live").orElseThrow();
        assertEquals(1, live.listeners());
        assertEquals(2, live.listenerPeak());
        assertEquals(300, live.bytesRead());
        assertEquals(TestConfigs.mp3().connectedAt(), live.streamStart());
        assertEquals("Test Radio", live.source().header("ice-name").orElseThrow());
        assertEquals(StreamFormat.RAW, live.format());
        assertEquals(Optional.empty(), live.codec());
        assertEquals(1, status.status().listeners());
    }

    @Test
    void anOggMountReportsItsCodec() {
        SourceSession session = start("/ogg", TestConfigs.ogg());
        assertEquals(Optional.empty(), status.mount("/ogg").orElseThrow().codec(), "no headers seen yet");
        byte[] stream = OggFixtures.opusStream(3);
        session.receive(stream, 0, stream.length);

        MountStatus ogg = status.mount("/ogg").orElseThrow();
        assertEquals(StreamFormat.OGG, ogg.format());
        assertEquals(Optional.of("Opus"), ogg.codec());
    }
}
