package org.tinyice.application.history;

import java.time.Instant;
import java.util.Objects;
import org.tinyice.application.port.out.ListenerSession;
import org.tinyice.application.port.out.MinuteSample;

/** What the audio path tells the {@link HistoryRecorder}. */
public sealed interface HistoryEvent {

    /**
     * A source set a mount's title. Whether it becomes a song play is the recorder's decision
     * (see {@link TitleChangeRule}): sources repeat titles and send placeholders.
     */
    record TitleChanged(String mount, String title, Instant at, int listeners) implements HistoryEvent {
        public TitleChanged {
            Objects.requireNonNull(mount, "mount");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A minute of a mount's statistics is complete (see {@link MinuteSampler}). */
    record MinuteEnded(MinuteSample sample) implements HistoryEvent {
        public MinuteEnded {
            Objects.requireNonNull(sample, "sample");
        }
    }

    /** A listener went away. */
    record ListenerLeft(ListenerSession session) implements HistoryEvent {
        public ListenerLeft {
            Objects.requireNonNull(session, "session");
        }
    }
}
