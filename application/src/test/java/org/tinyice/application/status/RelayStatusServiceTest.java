package org.tinyice.application.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.access.CredentialChecker;
import org.tinyice.application.access.Permissions;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.fixtures.TestCredentials;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.in.RelayStatusQuery.RelayState;
import org.tinyice.application.port.in.RelayStatusQuery.RelayStatus;
import org.tinyice.application.port.out.FallbackFiles;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.application.stream.FileMounts;
import org.tinyice.application.stream.MetadataService;
import org.tinyice.application.stream.Relays;
import org.tinyice.application.stream.ServerCounters;
import org.tinyice.application.stream.SourceService;
import org.tinyice.domain.mount.MountRegistry;
import org.tinyice.domain.stream.ChunkPolicy;

/** The relays' read model, kept by the relays themselves, and who may see which relay. */
class RelayStatusServiceTest {

    private final MountRegistry mounts = new MountRegistry();
    private final CurrentConfig config = new CurrentConfig(TestConfigs.config());
    private final CredentialChecker credentials = TestCredentials.checker(config);
    private final SourceService sources = new SourceService(mounts, credentials, config,
            new ServerCounters(Instant.now()), new ChunkPolicy(100, Long.MAX_VALUE), FallbackFiles.NONE,
            FileMounts.Timing.real());
    private final MetadataService metadata = new MetadataService(mounts, credentials, new Permissions());
    private final Relays relays = new Relays(sources, metadata, new ScriptedUpstreams(), config, Clock.systemUTC(),
            Thread.ofVirtual().factory());
    private final RelayStatusService service = new RelayStatusService(relays, new Permissions());

    @AfterEach
    void stop() {
        relays.close();
    }

    @Test
    void eachRelayShowsItsStateBytesTitleAndLastErrorAndADjSeesOnlyItsOwnMounts() throws Exception {
        Instant before = Instant.now();
        relays.sync(List.of(RelayConfig.of(URI.create("http://origin:8000/live")),
                RelayConfig.of(URI.create("http://origin:8000/missing")),
                new RelayConfig(URI.create("http://origin:8000/od"), "/od", Optional.empty(), Optional.empty(), true,
                        true, RelayConfig.DEFAULT_GRACE, RelayConfig.DEFAULT_IDLE)));

        RelayStatus live = await(r -> r.mount().equals("/live") && r.title().isPresent());
        assertEquals(RelayState.CONNECTED, live.state());
        assertEquals(Optional.of("Artist - Song"), live.title());
        assertEquals(ScriptedUpstreams.WIRE.length, live.bytesReceived(), "every byte read, the ICY block too");
        assertEquals(Optional.empty(), live.nextAttempt());
        assertEquals(Optional.empty(), live.lastError());

        RelayStatus missing = await(r -> r.mount().equals("/missing") && r.state() == RelayState.WAITING);
        assertEquals("the upstream answered 404 File Not Found", missing.lastError().orElseThrow().what());
        assertTrue(!missing.lastError().orElseThrow().at().isBefore(before));
        Instant next = missing.nextAttempt().orElseThrow();
        assertTrue(next.isAfter(missing.since()), "a waiting relay says when it tries again: " + missing);
        assertEquals(0, missing.bytesReceived());

        RelayStatus onDemand = await(r -> r.mount().equals("/od") && r.state() == RelayState.IDLE);
        assertTrue(onDemand.onDemand() && onDemand.lastError().isEmpty(), "no listener, no attempt: " + onDemand);

        Principal dj = new DashboardUser("dj", Role.DJ, Set.of("/live"));
        assertEquals(List.of("/live"), service.relays(dj).stream().map(RelayStatus::mount).toList());
        Principal admin = new DashboardUser("admin", Role.ADMIN, Set.of());
        assertEquals(List.of("/live", "/missing", "/od"), service.relays(admin).stream().map(RelayStatus::mount).toList());
    }

    private RelayStatus await(Predicate<RelayStatus> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            Optional<RelayStatus> found = relays.statuses().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such relay state within 5 s: " + relays.statuses());
    }

    /** {@code /live}: 16 audio bytes and a title block, then nothing until closed; anything else: 404. */
    private static final class ScriptedUpstreams implements RelayClient {
        static final byte[] WIRE;

        static {
            byte[] title = "StreamTitle='Artist - Song';".getBytes(StandardCharsets.US_ASCII);
            WIRE = new byte[16 + 1 + 32];
            WIRE[16] = 2;
            System.arraycopy(title, 0, WIRE, 17, title.length);
        }

        @Override
        public Opening open(RelayRequest request) {
            if (!request.url().getPath().equals("/live")) {
                return new Opening.Failed(new Failure.HttpStatus(404, "File Not Found"));
            }
            CountDownLatch closed = new CountDownLatch(1);
            return new Opening.Opened(new Upstream() {
                private boolean sent;

                @Override
                public String contentType() {
                    return "audio/mpeg";
                }

                @Override
                public Map<String, String> headers() {
                    return Map.of();
                }

                @Override
                public int metaint() {
                    return 16;
                }

                @Override
                public String remoteAddress() {
                    return "192.0.2.9";
                }

                @Override
                public int read(byte[] buffer) throws IOException {
                    if (!sent) {
                        sent = true;
                        System.arraycopy(WIRE, 0, buffer, 0, WIRE.length);
                        return WIRE.length;
                    }
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return -1;
                }

                @Override
                public void close() {
                    closed.countDown();
                }

                @Override
                public void stopForHandOver() throws IOException {
                    throw new IOException("no take-over here");
                }
            });
        }
    }
}
