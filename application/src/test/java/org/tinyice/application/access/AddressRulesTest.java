package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.AddressLists;
import org.tinyice.application.config.AddressRange;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.fixtures.TestConfigs;

class AddressRulesTest {

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static List<AddressRange> ranges(String... texts) {
        return Arrays.stream(texts).map(t -> AddressRange.parse(t, "test")).toList();
    }

    private static AddressRules rules(List<AddressRange> banned, List<AddressRange> allowed, List<AddressRange> proxies,
                                      MountConfig... mounts) {
        ServerConfig config = TestConfigs.config(mounts).withAddressLists(new AddressLists(banned, allowed, proxies));
        return new AddressRules(() -> config);
    }

    @Test
    void aBannedAddressOrRangeMayNotConnectAndOthersMay() {
        AddressRules rules = rules(ranges("203.0.113.7", "10.0.0.0/8", "2001:db8::/32"), List.of(), List.of());
        assertFalse(rules.mayConnect(ip("203.0.113.7")));
        assertFalse(rules.mayConnect(ip("10.9.8.7")));
        assertFalse(rules.mayConnect(ip("2001:db8::42")));
        assertTrue(rules.mayConnect(ip("203.0.113.8")));
        assertTrue(rules.mayConnect(ip("2001:db9::1")));
    }

    @Test
    void withAnAllowListOnlyItsAddressesMayConnectAndABanStillWins() {
        AddressRules rules = rules(ranges("192.0.2.66"), ranges("192.0.2.0/24"), List.of());
        assertTrue(rules.mayConnect(ip("192.0.2.1")));
        assertFalse(rules.mayConnect(ip("198.51.100.1")));
        assertFalse(rules.mayConnect(ip("192.0.2.66")));
    }

    @Test
    void aMountsAllowListHoldsForThatMountOnly() {
        MountConfig studio = MountConfig.defaultsFor("/studio").withAllowedIps(ranges("127.0.0.2"));
        AddressRules rules = rules(List.of(), List.of(), List.of(), studio);
        assertTrue(rules.mayUseMount(ip("127.0.0.2"), "/studio"));
        assertFalse(rules.mayUseMount(ip("127.0.0.1"), "/studio"));
        assertTrue(rules.mayUseMount(ip("127.0.0.1"), "/live"));
    }

    @Test
    void forwardedHeadersOfAnUntrustedPeerAreIgnored() {
        AddressRules rules = rules(List.of(), List.of(), ranges("10.0.0.1"));
        assertEquals(ip("198.51.100.9"),
                rules.client(ip("198.51.100.9"), List.of("203.0.113.7"), List.of("for=203.0.113.8")));
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedAddressIsTheClient() {
        AddressRules rules = rules(List.of(), List.of(), ranges("10.0.0.0/8"));
        // the client's own spoofed entry stands left of what our proxies wrote
        assertEquals(ip("203.0.113.7"), rules.client(ip("10.0.0.1"),
                List.of("1.1.1.1, 203.0.113.7", "10.0.0.5"), List.of()));
        assertEquals(ip("2001:db8::7"), rules.client(ip("10.0.0.1"), List.of("[2001:db8::7]:4711"), List.of()));
        assertEquals(ip("203.0.113.7"), rules.client(ip("10.0.0.1"), List.of("203.0.113.7:5555"), List.of()));
    }

    @Test
    void forwardedIsReadOnlyWithoutXForwardedFor() {
        AddressRules rules = rules(List.of(), List.of(), ranges("10.0.0.1"));
        assertEquals(ip("2001:db8::9"), rules.client(ip("10.0.0.1"), List.of(),
                List.of("for=192.0.2.1;proto=http, For=\"[2001:db8::9]:4711\";by=10.0.0.1")));
        assertEquals(ip("192.0.2.2"), rules.client(ip("10.0.0.1"), List.of("192.0.2.2"),
                List.of("for=192.0.2.3")));
    }

    @Test
    void aChainOfTrustedProxiesOnlyGivesItsLeftMostAndGarbageStopsAtTheLastProxy() {
        AddressRules rules = rules(List.of(), List.of(), ranges("10.0.0.0/8"));
        assertEquals(ip("10.0.0.9"), rules.client(ip("10.0.0.1"), List.of("10.0.0.9, 10.0.0.5"), List.of()));
        assertEquals(ip("10.0.0.5"), rules.client(ip("10.0.0.1"), List.of("203.0.113.7, unknown, 10.0.0.5"),
                List.of()));
        assertEquals(ip("10.0.0.1"), rules.client(ip("10.0.0.1"), List.of("example.com"), List.of()));
        assertEquals(ip("10.0.0.1"), rules.client(ip("10.0.0.1"), List.of(), List.of()));
        assertEquals(ip("10.0.0.1"), rules.client(ip("10.0.0.1"), List.of(), List.of("for=_hidden")));
    }

    @Test
    void aProxyOnIpv6LoopbackOrMappedIsTrustedByItsRange() {
        AddressRules rules = rules(List.of(), List.of(), ranges("::1", "127.0.0.0/8"));
        assertEquals(ip("192.0.2.1"), rules.client(ip("::1"), List.of("192.0.2.1"), List.of()));
        assertEquals(ip("192.0.2.1"), rules.client(ip("::ffff:127.0.0.1"), List.of("192.0.2.1"), List.of()));
    }
}
