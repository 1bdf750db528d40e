package org.tinyice.application.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.MasterConfig;
import org.tinyice.application.config.RelayConfig;

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
    void aMasterIsAServerNotAStream() {
        assertThrows(InvalidSettingException.class, () -> new MasterConfig(URI.create("http://origin:8000/live"),
                "relay", Optional.empty(), Duration.ofSeconds(1), false));
        assertThrows(InvalidSettingException.class, () -> new MasterConfig(URI.create("http://origin:8000"),
                "relay", Optional.empty(), Duration.ZERO, false));
    }
}
