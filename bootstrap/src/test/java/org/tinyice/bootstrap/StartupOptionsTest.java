package org.tinyice.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupOptionsTest {

    @Test
    void takeOverAndDrainLimitAreReadAndDefaultToAPlainStartWithFiveMinutes() {
        StartupOptions plain = StartupOptions.parse(new String[] {"--port", "8000"}, Map.of());
        assertFalse(plain.takeOver());
        assertFalse(plain.sharePort());
        assertEquals(Duration.ofMinutes(5), plain.drainLimit());
        assertTrue(StartupOptions.parse(new String[] {"--port", "8000", "--share-port"}, Map.of()).sharePort());

        StartupOptions update = StartupOptions.parse(new String[] {"--port", "8000", "--take-over", "--drain-limit=60"},
                Map.of());
        assertTrue(update.takeOver());
        assertEquals(Duration.ofSeconds(60), update.drainLimit());
    }

    @Test
    void takeOverIfRunningIsAPlainStartWhenNothingServesTheDataDirectory() {
        StartupOptions options = StartupOptions.parse(new String[] {"--data-dir", "/nonexistent-tinyice-dir",
                "--take-over-if-running"}, Map.of());
        assertFalse(options.takeOver());
    }

    @Test
    void aDrainLimitThatIsNotANumberOfSecondsIsRefusedWithTheFlagsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StartupOptions.parse(new String[] {"--drain-limit", "soon"}, Map.of()));
        assertTrue(e.getMessage().startsWith("--drain-limit"), e.getMessage());
    }
}
