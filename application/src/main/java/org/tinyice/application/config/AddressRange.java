package org.tinyice.application.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;

/**
 * One entry of an address list ({@code banned_ips}, {@code allowed_ips}, {@code trusted_proxies}): an
 * IPv4 or IPv6 address, or a CIDR range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
 *
 * <p>Read strictly, because a list that silently means something else than the operator wrote lets in
 * whom it should keep out: IPv4 only as four decimal parts (not {@code 10.1}, not octal {@code 010.0.0.1},
 * which {@code inet_aton} would take), no host names (never a DNS lookup), and no bits set after the
 * prefix ({@code 10.0.0.1/8} is refused, not widened). An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4})
 * is its IPv4 address, as the JDK gives it for a dual-stack socket; a mapped range
 * ({@code ::ffff:10.0.0.0/104}) is the IPv4 range.
 *
 * @param network the first address of the range (an {@link Inet4Address} or {@link Inet6Address})
 * @param prefix  how many leading bits must match: 0 (everything of that family) to 32 or 128
 */
public record AddressRange(InetAddress network, int prefix) {

    public AddressRange {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix " + prefix + " out of 0.." + bits);
        }
    }

    /**
     * @param key the setting the text comes from, named in the refusal
     * @throws InvalidSettingException when the text is not an address or a range as above
     */
    public static AddressRange parse(String text, String key) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = literal(addressPart);
        if (address == null) {
            throw new InvalidSettingException("\"" + key + "\": \"" + text + "\" is not an IPv4 or IPv6 address or"
                    + " range (such as 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32)", key);
        }
        boolean mapped = address instanceof Inet4Address && addressPart.indexOf(':') >= 0;
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            int max = mapped ? 128 : bits;
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > max) {
                throw new InvalidSettingException("\"" + key + "\": \"" + text + "\" has no prefix length from 0"
                        + " to " + max + " after the /", key);
            }
            prefix = Integer.parseInt(digits);
            if (mapped) {
                if (prefix < 96) {
                    throw new InvalidSettingException("\"" + key + "\": \"" + text + "\" is an IPv4-mapped range"
                            + " shorter than /96; write it as IPv4 or IPv6 without the mapping", key);
                }
                prefix -= 96;
            }
        }
        byte[] network = masked(address.getAddress(), prefix);
        if (!Arrays.equals(network, address.getAddress())) {
            throw new InvalidSettingException("\"" + key + "\": \"" + text + "\" has bits set after its /"
                    + (mapped ? prefix + 96 : prefix) + " (did you mean " + new AddressRange(of(network), prefix)
                    + "?)", key);
        }
        return new AddressRange(address, prefix);
    }

    /** Whether {@code address} lies in this range (an IPv4-mapped IPv6 address counts as its IPv4 address). */
    public boolean contains(InetAddress address) {
        byte[] bytes = plain(address).getAddress();
        byte[] mine = network.getAddress();
        if (bytes.length != mine.length) {
            return false;
        }
        return Arrays.equals(masked(bytes, prefix), mine);
    }

    /** Whether any of {@code ranges} holds {@code address}. */
    public static boolean anyContains(Collection<AddressRange> ranges, InetAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The address for one host ({@code /32}, {@code /128}). */
    public static AddressRange of(InetAddress address) {
        InetAddress plain = plain(address);
        return new AddressRange(plain, plain.getAddress().length * 8);
    }

    /** As the file writes it: a single host without its prefix, IPv6 in its shortest form. */
    @Override
    public String toString() {
        String text = network instanceof Inet6Address ? shortIpv6(network.getAddress()) : network.getHostAddress();
        return prefix == network.getAddress().length * 8 ? text : text + "/" + prefix;
    }

    /**
     * The address an IPv4-mapped IPv6 address stands for; any other as it is. (The JDK already gives
     * IPv4 clients of a dual-stack socket as {@link Inet4Address}; this holds for addresses made otherwise.)
     */
    public static InetAddress plain(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return of(Arrays.copyOfRange(bytes, 12, 16));
            }
        }
        return address;
    }

    /** A literal address, or null; never a name lookup. */
    private static InetAddress literal(String text) {
        if (text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
            return InetAddress.ofLiteral(text);
        }
        // IPv6 only: hex groups and colons, an IPv4 tail allowed; no zone (%eth0), no brackets
        if (text.indexOf(':') < 0 || !text.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    private static InetAddress of(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** RFC 5952's form: the longest run of two or more zero groups as {@code ::}, lower case. */
    private static String shortIpv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        return out.toString();
    }
}
