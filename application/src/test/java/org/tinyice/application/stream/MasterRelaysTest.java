package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.MasterConfig;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.fixtures.TestConfigs;
import org.tinyice.application.port.out.StreamListClient;

class MasterRelaysTest {

    static MasterConfig master(Optional<String> password) {
        return new MasterConfig(URI.create("http://origin:8000"), "relay", password, Duration.ofSeconds(1), false);
    }

    @Test
    void eachListedMountIsRelayedToTheSamePathWithTheMastersCredentials() {
        List<RelayConfig> relays = MasterRelays.relaysFor(master(Optional.of("s")), List.of("/live", "/jazz.ogg"));
        assertEquals(List.of("/live", "/jazz.ogg"), relays.stream().map(RelayConfig::mount).toList());
        assertEquals(URI.create("http://origin:8000/jazz.ogg"), relays.get(1).url());
        assertEquals(Optional.of("relay"), relays.get(0).username());
        assertEquals(Optional.of("s"), relays.get(0).password());
    }

    @Test
    void theSameListGivesEqualRelaysSoThatRunningOnesAreLeftAlone() {
        assertEquals(MasterRelays.relaysFor(master(Optional.of("s")), List.of("/live")),
                MasterRelays.relaysFor(master(Optional.of("s")), List.of("/live")));
    }

    @Test
    void withoutAPasswordNoCredentialsAreSent() {
        RelayConfig relay = MasterRelays.relaysFor(master(Optional.empty()), List.of("/live")).getFirst();
        assertEquals(Optional.empty(), relay.username());
        assertEquals(Optional.empty(), relay.password());
    }

    @Test
    void anEdgeWithAPublicUrlTellsTheOriginItsAddressIntervalAndFreePlaces() {
        MasterConfig master = new MasterConfig(URI.create("http://origin:8000"), "relay", Optional.of("s"),
                Duration.ofSeconds(30), false, Optional.of(new EdgeAddress("edge1.example", 8001)));
        List<URI> asked = new ArrayList<>();
        StreamListClient client = (url, user, password, timeout) -> {
            asked.add(url);
            return new StreamListClient.Listing.Failed("only the request matters here");
        };
        CurrentConfig config = new CurrentConfig(TestConfigs.withLimits(ServerConfig.defaults(), 100, 32, 65_536)
                .withMaster(Optional.of(master)));
        ServerCounters counters = new ServerCounters(Instant.EPOCH);
        counters.tryAddListener(100);
        counters.tryAddListener(100);
        // a failed fetch leaves the relays alone, so none are needed to see the request
        MasterRelays polling = new MasterRelays(null, client, config, counters, Thread.ofVirtual().factory());

        polling.update(master);
        config.replace(TestConfigs.withLimits(config.get(), 0, 32, 65_536));
        polling.update(master);

        assertEquals(List.of(
                URI.create("http://origin:8000/admin/streamlist.txt?rserver=edge1.example&rport=8001&interval=30&room=98"),
                URI.create("http://origin:8000/admin/streamlist.txt?rserver=edge1.example&rport=8001&interval=30")),
                asked, "98 of 100 places free; without a listener limit the room is not said");
    }

    @Test
    void aMasterIsAServerNotAStream() {
        assertThrows(InvalidSettingException.class, () -> new MasterConfig(URI.create("http://origin:8000/live"),
                "relay", Optional.empty(), Duration.ofSeconds(1), false));
        assertThrows(InvalidSettingException.class, () -> new MasterConfig(URI.create("http://origin:8000"),
                "relay", Optional.empty(), Duration.ZERO, false));
    }
}
