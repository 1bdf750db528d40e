package org.tinyice.application.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TitleChangeRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "-", " - ", "--", " -- - ", "Unknown", "UNKNOWN", " unknown ", "untitled",
            "Untitled", "Unknown - Unknown", "unknown artist - unknown title", "n/a", "N/A", "null", "undefined"})
    void placeholdersAreNoSongs(String title) {
        assertTrue(TitleChangeRule.isPlaceholder(title));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "Unknown Pleasures", "Joy Division - Unknown", "- Song", "Artist -", "Nulls",
            "N/A - Live", "untitled #1"})
    void realTitlesAreSongs(String title) {
        assertFalse(TitleChangeRule.isPlaceholder(title));
    }

    @Test
    void asksTheStoreOncePerMount() {
        List<String> asked = new ArrayList<>();
        TitleChangeRule rule = new TitleChangeRule(mount -> {
            asked.add(mount);
            return Optional.of("stored");
        });

        assertEquals(Optional.empty(), rule.newSong("/live", "stored"));
        assertEquals(Optional.of("other"), rule.newSong("/live", "other"));
        assertEquals(Optional.empty(), rule.newSong("/other", " stored "));

        assertEquals(List.of("/live", "/other"), asked);
    }

    @Test
    void aTitleNotYetRecordedStaysNew() {
        TitleChangeRule rule = new TitleChangeRule(mount -> Optional.empty());

        assertEquals(Optional.of("A"), rule.newSong("/live", "A"));
        // the store failed to keep it, so it was never recorded: the next "A" is still new
        assertEquals(Optional.of("A"), rule.newSong("/live", " A"));

        rule.recorded("/live", "A");
        assertEquals(Optional.empty(), rule.newSong("/live", "A"));
    }
}
