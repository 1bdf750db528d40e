package org.tinyice.application.access;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.tinyice.application.config.AddressLists;
import org.tinyice.application.config.AddressRange;
import org.tinyice.application.config.InvalidSettingException;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.ClientAddressPolicy;

/**
 * May this address connect (to this mount), and who is the client behind a trusted proxy. Reads the
 * configuration in force on every question, so a ban made in the dashboard, the API or by SIGHUP holds
 * for the next connection.
 *
 * <p>The forwarded chain is read from the right: each proxy appends the address it got the request
 * from, so the right-most entries were written by our own proxies and are true, and everything left of
 * the first address that is not a trusted proxy was written by the client or someone it paid, and is
 * not. A spoofed {@code X-Forwarded-For} therefore moves nothing: it stands left of the real address.
 */
public final class AddressRules implements ClientAddressPolicy {

    private final Supplier<ServerConfig> config;

    public AddressRules(Supplier<ServerConfig> config) {
        this.config = config;
    }

    @Override
    public boolean isTrustedProxy(InetAddress peer) {
        return config.get().addressLists().isTrustedProxy(peer);
    }

    @Override
    public InetAddress client(InetAddress peer, List<String> forwardedFor, List<String> forwarded) {
        AddressLists lists = config.get().addressLists();
        InetAddress client = AddressRange.plain(peer);
        if (!lists.isTrustedProxy(client)) {
            return client;
        }
        List<String> chain = !forwardedFor.isEmpty() ? entries(forwardedFor, false) : entries(forwarded, true);
        for (int i = chain.size() - 1; i >= 0; i--) {
            InetAddress hop = address(chain.get(i));
            if (hop == null) {
                // "unknown", an obfuscated name, garbage: the proxy that wrote it is the last one we know
                return client;
            }
            client = hop;
            if (!lists.isTrustedProxy(hop)) {
                return hop;
            }
        }
        return client;
    }

    @Override
    public boolean mayConnect(InetAddress client) {
        AddressLists lists = config.get().addressLists();
        if (AddressRange.anyContains(lists.banned(), client)) {
            return false;
        }
        return lists.allowed().isEmpty() || AddressRange.anyContains(lists.allowed(), client);
    }

    @Override
    public boolean mayUseMount(InetAddress client, String mount) {
        List<AddressRange> allowed = config.get().mount(mount).allowedIps();
        return allowed.isEmpty() || AddressRange.anyContains(allowed, client);
    }

    /** The comma-separated entries of every header value, left to right; of {@code Forwarded}, the for= parts. */
    private static List<String> entries(List<String> values, boolean rfc7239) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                out.add(rfc7239 ? forParameter(element) : element.strip());
            }
        }
        return out;
    }

    /** {@code for=192.0.2.60;proto=http} -> {@code 192.0.2.60}; {@code for="[2001:db8::1]:4711"} -> the address. */
    private static String forParameter(String element) {
        for (String pair : element.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
                String value = pair.substring(equals + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return "";
    }

    /** An address as proxies write it (bare, {@code [v6]}, {@code [v6]:port}, {@code v4:port}), or null. */
    private static InetAddress address(String text) {
        String bare = text;
        if (bare.startsWith("[")) {
            int close = bare.indexOf(']');
            if (close < 0) {
                return null;
            }
            bare = bare.substring(1, close);
        } else if (bare.indexOf(':') >= 0 && bare.indexOf(':') == bare.lastIndexOf(':')) {
            bare = bare.substring(0, bare.indexOf(':')); // IPv4 with a port
        }
        if (bare.isEmpty() || bare.indexOf('/') >= 0) {
            return null;
        }
        try {
            return AddressRange.parse(bare, "X-Forwarded-For").network();
        } catch (InvalidSettingException notAnAddress) {
            return null;
        }
    }
}
