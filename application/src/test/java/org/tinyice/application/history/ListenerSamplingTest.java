package org.tinyice.application.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.MinuteSample;

class ListenerSamplingTest {

    private static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void handsEachEndedMinuteAndAtFinishTheOneInProgressToTheRecorder() {
        FakeHistoryPorts ports = new FakeHistoryPorts();
        HistoryRecorder recorder = HistoryRecorder.start(ports.songHistory, ports.listenerStatistics,
                ports.listenerSessions, 100, Duration.ofSeconds(10));
        AtomicReference<Instant> now = new AtomicReference<>(TEN);
        AtomicReference<Map<String, MountTraffic>> traffic =
                new AtomicReference<>(Map.of("/live", new MountTraffic(2, 100, 1_000)));
        ListenerSampling sampling = new ListenerSampling(traffic::get, now::get, recorder);

        sampling.run();
        now.set(TEN.plusSeconds(61));
        traffic.set(Map.of("/live", new MountTraffic(3, 150, 1_500)));
        sampling.run();
        sampling.finish();
        recorder.close();

        assertEquals(List.of(new MinuteSample("/live", TEN, 2, 2, 100, 1_000),
                new MinuteSample("/live", TEN.plusSeconds(60), 3, 3, 50, 500)), ports.minutes);
    }
}
