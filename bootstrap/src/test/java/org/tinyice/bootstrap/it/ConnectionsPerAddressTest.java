package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limits.max_connections_per_address}, here 3 and held for loopback too (the test's only address):
 * a source and two listeners fill it, a fourth connection is closed at once, and everyone else plays on.
 */
class ConnectionsPerAddressTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, """
                {"limits": {"max_connections_per_address": 3, "per_address_includes_loopback": true,
                            "header_timeout": 5}}
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A listener, retried while the status requests that came before it still hold their places. */
    private static RawClient listener() throws Exception {
        RawClient[] admitted = new RawClient[1];
        Eventually.await(Duration.ofSeconds(5), "a listener is admitted", () -> {
            try {
                admitted[0] = RawClient.listen(server, "/live", "per-address-test");
                return true;
            } catch (java.io.IOException | AssertionError refused) {
                return false;
            }
        });
        return admitted[0];
    }

    @Test
    void theConnectionOverTheLimitIsClosedAndTheOthersKeepPlaying() throws Exception {
        try (RawSource source = new RawSource(server, "/live", (byte) 9)) {
            Eventually.await(Duration.ofSeconds(5), "/live is on", () -> server.statusJson().contains("/live\""));
            try (RawClient first = listener(); RawClient second = listener()) {
                try (RawClient fourth = new RawClient(server.port())) {
                    fourth.timeout(2000);
                    long start = System.nanoTime();
                    assertTrue(fourth.closedByServer(), "a fourth connection from the address is refused");
                    assertTrue((System.nanoTime() - start) / 1e9 < 1.5, "refused at once, not at a timeout");
                }
                first.awaitRun((byte) 9, 2000);
                second.awaitRun((byte) 9, 2000);

                second.close();
                // its place is free again once the server notices (at its next write)
                Eventually.await(Duration.ofSeconds(5), "a request fits again",
                        () -> server.get("/status-json.xsl").statusCode() == 200);
                String metrics = server.get("/metrics").body();
                assertTrue(ObservabilityTest.metric(metrics, "tinyice_connections_refused_per_address_total", "")
                        >= 1, metrics);
                first.awaitRun((byte) 9, 2000);
            }
        }
    }

    @Test
    void aSilentConnectionHoldsItsPlaceOnlyUntilTheHeaderTimeout() throws Exception {
        // a connection's place is released when its handling ends: wait until the other test's are gone
        Eventually.await(Duration.ofSeconds(10), "no source or listener left from another test",
                () -> !server.statusJson().contains("\"source\""));
        RawClient[] held = new RawClient[3];
        try {
            for (int i = 0; i < 3; i++) {
                held[i] = new RawClient(server.port());
                // each connection is counted on its own virtual thread: let it run before the next one,
                // or the fourth could be counted first and one of these refused in its place
                Thread.sleep(100);
            }
            try (RawClient fourth = new RawClient(server.port())) {
                fourth.timeout(1000);
                assertTrue(fourth.closedByServer(), "the address holds three already");
            }
            Eventually.await(Duration.ofSeconds(9), "the silent ones are closed, a request fits again",
                    () -> server.get("/healthz").statusCode() == 200);
            assertEquals(200, server.get("/healthz").statusCode());
            held[0].timeout(7000);
            assertTrue(held[0].closedByServer(), "closed within the 5 s header timeout");
        } finally {
            for (RawClient client : held) {
                if (client != null) {
                    client.close();
                }
            }
        }
        assertFalse(server.get("/status-json.xsl").body().isEmpty());
    }
}
