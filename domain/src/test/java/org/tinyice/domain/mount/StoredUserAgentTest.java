package org.tinyice.domain.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoredUserAgentTest {

    private static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void anOrdinaryAgentIsKeptAsItIs() {
        String agent = "Mozilla/5.0 (X11; Linux x86_64) VLC/3.0.20 LibVLC/3.0.20";
        assertSame(agent, StoredUserAgent.of(agent));
        assertEquals("", StoredUserAgent.of(null));
    }

    @Test
    void aLongAgentIsCutToItsFirst512BytesOfUtf8() {
        assertEquals("x".repeat(512), StoredUserAgent.of("x".repeat(16 * 1024)));
        String accented = StoredUserAgent.of("\u00e9".repeat(300)); // two bytes each
        assertEquals("\u00e9".repeat(256), accented);
        assertEquals(512, utf8Bytes(accented));
    }

    @Test
    void theCutNeverSplitsACharacter() {
        String notes = StoredUserAgent.of("ab" + "\ud83c\udfb5".repeat(200)); // four bytes each
        assertEquals("ab" + "\ud83c\udfb5".repeat(127), notes);
        assertEquals(510, utf8Bytes(notes));
        String euros = StoredUserAgent.of("\u20ac".repeat(200)); // three bytes each
        assertEquals(170, euros.length());
        assertEquals(510, utf8Bytes(euros));
    }

    @Test
    void aListenerKeepsItsAgentBounded() {
        Listener listener = new Listener("/live", "192.0.2.1", "\u00e9".repeat(10_000), Instant.EPOCH, () -> { });
        assertEquals(512, utf8Bytes(listener.userAgent()));
    }
}
