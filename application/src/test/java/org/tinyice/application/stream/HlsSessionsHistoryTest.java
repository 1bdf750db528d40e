package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.ClientAddresses;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.history.HistoryEvent;
import org.tinyice.application.port.in.ServeHlsUseCase.HlsAnswer;
import org.tinyice.application.port.in.ServeHlsUseCase.HlsClient;
import org.tinyice.application.port.in.StartSourceUseCase.SourceAdmission;
import org.tinyice.application.port.in.StartSourceUseCase.StartSourceCommand;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.ChunkPolicy;

/** HLS sessions (address and user agent) become visits in the history when they end, next to Icecast listeners'. */
class HlsSessionsHistoryTest {

    private final TestClock clock = new TestClock();
    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(TestConfigs.config());
    private final List<HistoryEvent> recorded = new CopyOnWriteArrayList<>();
    private final HlsStreams hls = new HlsStreams(mounts, config, clock, recorded::add, new ClientAddresses(config));

    private void live(String path) {
        SourceService sources = new SourceService(mounts, TestCredentials.checker(config), config,
                new ServerCounters(Instant.EPOCH), new ChunkPolicy(1000, Long.MAX_VALUE), FallbackFiles.NONE,
                FileMounts.Timing.real());
        assertInstanceOf(SourceAdmission.Started.class,
                sources.start(new StartSourceCommand(path, TestConfigs.SOURCE, TestConfigs.mp3())));
    }

    private List<ListenerSession> visits() {
        return recorded.stream().map(e -> ((HistoryEvent.ListenerLeft) e).session()).toList();
    }

    @Test
    void aSessionThatStopsAskingBecomesAnHlsVisitFromItsFirstRequestToItsLast() throws Exception {
        live("/live");
        Instant started = clock.instant();
        HlsClient safari = new HlsClient("192.0.2.7", "Safari");
        assertInstanceOf(HlsAnswer.Playlist.class, hls.playlist("/live", safari));
        clock.advance(Duration.ofSeconds(4));
        hls.playlist("/live", safari);
        clock.advance(Duration.ofSeconds(10));
        hls.playlist("/live", new HlsClient("192.0.2.8", "VLC"));
        assertEquals(2, hls.sessions().get("/live"));

        clock.advance(Duration.ofSeconds(3)); // Safari's last request is now 13 s old (three segments: 12 s), VLC's 3 s
        hls.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (recorded.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<ListenerSession> ended = visits();
            assertEquals(1, ended.size(), "only the session that stopped asking: " + ended);
            ListenerSession visit = ended.getFirst();
            assertEquals("/live", visit.mount());
            assertEquals(started, visit.connected());
            assertEquals(Duration.ofSeconds(4), visit.duration());
            assertEquals("Safari", visit.userAgent());
            assertEquals(ListenerSession.Protocol.HLS, visit.protocol());
            assertTrue(visit.address().isPresent() && !visit.address().get().contains("192.0.2.7"),
                    "the address is kept as client_addresses says (hashed by default): " + visit.address());
        } finally {
            hls.close();
        }

        assertEquals(List.of("Safari", "VLC"), visits().stream().map(ListenerSession::userAgent).toList(),
                "the server stopping ends the sessions still going");
    }
}
