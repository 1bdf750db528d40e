package org.tinyice.application.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One song as it started on a mount: the stream title as the source sent it, and, when the title had
 * the usual "Artist - Song" shape, its two parts.
 *
 * @param mount the mount path, e.g. {@code /live}
 * @param title the whole stream title, never blank
 * @param artist the part before the first {@code " - "}, when the title came apart
 * @param song the part after it; present exactly when {@code artist} is
 * @param started when the title arrived (kept to the millisecond)
 * @param listenersAtStart how many listeners the mount had then
 */
public record SongPlay(String mount, String title, Optional<String> artist, Optional<String> song, Instant started,
                       int listenersAtStart) {

    private static final String SEPARATOR = " - ";

    public SongPlay {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(artist, "artist");
        Objects.requireNonNull(song, "song");
        started = HistoryTime.toMillis(Objects.requireNonNull(started, "started"));
        if (title.isBlank()) {
            throw new IllegalArgumentException("a song play needs a title");
        }
        if (artist.isPresent() != song.isPresent()) {
            throw new IllegalArgumentException("artist and song come apart together or not at all: " + title);
        }
        HistoryTime.requireNotNegative(listenersAtStart, "listenersAtStart");
    }

    /**
     * A play of {@code title}, split into artist and song at the first {@code " - "} when both sides have
     * text (so "Artist - Song - Live" is artist "Artist", song "Song - Live"; "- Song" stays whole).
     */
    public static SongPlay of(String mount, String title, Instant started, int listenersAtStart) {
        int separator = title.indexOf(SEPARATOR);
        if (separator > 0) {
            String artist = title.substring(0, separator).strip();
            String song = title.substring(separator + SEPARATOR.length()).strip();
            if (!artist.isEmpty() && !song.isEmpty()) {
                return new SongPlay(mount, title, Optional.of(artist), Optional.of(song), started, listenersAtStart);
            }
        }
        return new SongPlay(mount, title, Optional.empty(), Optional.empty(), started, listenersAtStart);
    }
}
