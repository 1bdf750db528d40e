package org.tinyice.application.config;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The server-wide address lists of {@code tinyice.json}.
 *
 * @param banned         {@code "banned_ips"}: connections from these are closed at accept, unanswered
 * @param allowed        {@code "allowed_ips"}: when not empty, only these may connect at all
 * @param trustedProxies {@code "trusted_proxies"}: only from these are {@code X-Forwarded-For} and
 *                       {@code Forwarded} believed
 */
public record AddressLists(List<AddressRange> banned, List<AddressRange> allowed, List<AddressRange> trustedProxies) {

    /** No ban, everyone allowed, no proxy trusted. */
    public static final AddressLists NONE = new AddressLists(List.of(), List.of(), List.of());

    public AddressLists {
        banned = List.copyOf(new LinkedHashSet<>(banned));
        allowed = List.copyOf(new LinkedHashSet<>(allowed));
        trustedProxies = List.copyOf(new LinkedHashSet<>(trustedProxies));
    }

    /** Whether {@code address} is a trusted proxy's. */
    public boolean isTrustedProxy(InetAddress address) {
        return AddressRange.anyContains(trustedProxies, address);
    }

    public AddressLists withBanned(List<AddressRange> newBanned) {
        return new AddressLists(newBanned, allowed, trustedProxies);
    }
}
