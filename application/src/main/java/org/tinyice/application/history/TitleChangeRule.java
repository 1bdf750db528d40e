package org.tinyice.application.history;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which titles are songs worth a line in the history. Encoders resend the same title every few
 * seconds, and send placeholders between tracks or when a file has no tags; neither is a new song.
 *
 * <p>A title is recorded when, stripped of surrounding white space, it is not a placeholder and differs
 * from the last title recorded for its mount. Placeholders leave that memory alone, so "A", "", "A" is
 * one play of A (an ad break without a title is not a new song). The memory of each mount starts from
 * what the store last recorded, so a restart in the middle of a song does not record it twice.
 *
 * <p>Used by the recorder's writer thread only; not thread-safe.
 */
final class TitleChangeRule {

    /**
     * Titles that say "no title", compared ignoring case. Titles made only of dashes and white space
     * ("", "-", " - ", "--") are placeholders too.
     */
    static final Set<String> PLACEHOLDERS = Set.of("unknown", "untitled", "unknown - unknown",
            "unknown artist - unknown title", "n/a", "null", "undefined");

    private final Function<String, Optional<String>> lastStoredTitle;
    private final Map<String, Optional<String>> lastRecorded = new HashMap<>();

    /** @param lastStoredTitle the title the store last recorded for a mount, asked once per mount */
    TitleChangeRule(Function<String, Optional<String>> lastStoredTitle) {
        this.lastStoredTitle = lastStoredTitle;
    }

    static boolean isPlaceholder(String title) {
        String stripped = title.strip();
        boolean onlyDashes = stripped.chars().allMatch(c -> c == '-' || Character.isWhitespace(c));
        return onlyDashes || PLACEHOLDERS.contains(stripped.toLowerCase(Locale.ROOT));
    }

    /** The title to record for {@code mount}, stripped, or empty when {@code title} is no new song. */
    Optional<String> newSong(String mount, String title) {
        if (isPlaceholder(title)) {
            return Optional.empty();
        }
        String stripped = title.strip();
        Optional<String> last = lastRecorded.computeIfAbsent(mount, lastStoredTitle);
        return last.isPresent() && last.get().equals(stripped) ? Optional.empty() : Optional.of(stripped);
    }

    /** Remembers that {@code title} was recorded for {@code mount} (only once the store has it). */
    void recorded(String mount, String title) {
        lastRecorded.put(mount, Optional.of(title));
    }
}
