package org.tinyice.application.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @ParameterizedTest(name = "{0} holds {1}: {2}")
    @CsvSource(textBlock = """
            10.0.0.0/8,        10.255.1.2,       true
            10.0.0.0/8,        11.0.0.0,         false
            203.0.113.7,       203.0.113.7,      true
            203.0.113.7/32,    203.0.113.8,      false
            0.0.0.0/0,         198.51.100.1,     true
            0.0.0.0/0,         2001:db8::1,      false
            ::/0,              2001:db8::1,      true
            ::/0,              198.51.100.1,     false
            2001:db8::/32,     2001:db8:ffff::1, true
            2001:db8::/32,     2001:db9::1,      false
            2001:db8::1/128,   2001:db8::1,      true
            2001:db8::1/128,   2001:db8::2,      false
            10.0.0.0/8,        ::ffff:10.1.2.3,  true
            ::ffff:10.0.0.0/104, 10.1.2.3,       true
            ::ffff:10.0.0.0/104, 11.1.2.3,       false
            ::ffff:192.0.2.1,  192.0.2.1,        true
            192.0.2.128/25,    192.0.2.127,      false
            192.0.2.128/25,    192.0.2.255,      true
            """)
    void aRangeHoldsTheAddressesOfItsPrefix(String range, String address, boolean holds) {
        assertEquals(holds, AddressRange.parse(range, "banned_ips").contains(ip(address)));
    }

    @Test
    void anIpv4MappedIpv6AddressMadeByHandCountsAsItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 9;
        // getByAddress makes an Inet4Address of it too; Inet6Address.getByAddress keeps it IPv6
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(AddressRange.parse("10.0.0.0/8", "banned_ips").contains(v6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "localhost", "10.1", "10.0.0", "010.0.0.1", "10.0.0.256", "1.2.3.4.5",
            "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/9", "10.0.0.0/+8",
            "10.0.0.1/8", "2001:db8::1/32", "[2001:db8::1]", "fe80::1%eth0", "2001:db8:::1", "1.2.3.4 x",
            "::ffff:10.0.0.0/64", "0x0a.0.0.1", "10.0.0.0/08a"})
    void anythingButALiteralAddressOrExactRangeIsRefusedNamingTheKey(String text) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> AddressRange.parse(text, "allowed_ips"));
        assertEquals(List.of("allowed_ips"), e.settings());
        assertTrue(e.getMessage().contains("allowed_ips"), e.getMessage());
    }

    @Test
    void hostBitsAfterThePrefixAreRefusedWithTheRangeMeant() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> AddressRange.parse("10.1.2.3/8", "banned_ips"));
        assertTrue(e.getMessage().contains("did you mean 10.0.0.0/8"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource(textBlock = """
            203.0.113.7/32,           203.0.113.7
            10.0.0.0/8,               10.0.0.0/8
            0.0.0.0/0,                0.0.0.0/0
            2001:DB8:0:0:0:0:0:1,     2001:db8::1
            2001:db8:0:0:1:0:0:0/80,  2001:db8:0:0:1::/80
            ::/0,                     ::/0
            ::1,                      ::1
            ::ffff:10.0.0.0/104,      10.0.0.0/8
            ' 192.0.2.1 ',            192.0.2.1
            """)
    void aRangeIsWrittenInItsShortestFormAndReadsBackEqual(String text, String written) {
        AddressRange range = AddressRange.parse(text, "banned_ips");
        assertEquals(written, range.toString());
        assertEquals(range, AddressRange.parse(written, "banned_ips"));
    }

    @Test
    void aHostOfItsOwnIsTheFullPrefix() {
        assertEquals(32, AddressRange.of(ip("192.0.2.1")).prefix());
        assertEquals(128, AddressRange.of(ip("2001:db8::1")).prefix());
        assertFalse(AddressRange.of(ip("192.0.2.1")).contains(ip("192.0.2.2")));
    }
}
