package org.tinyice.application.port.in;

import java.util.Optional;
import org.tinyice.domain.mount.MountPath;
import org.tinyice.domain.mount.SourceInfo;

/** An encoder asks to stream to a mount (Icecast {@code SOURCE} or {@code PUT}). */
public interface StartSourceUseCase {

    SourceAdmission start(StartSourceCommand command);

    /**
     * @param disconnect closes the source's connection from another thread (admin "kill source")
     */
    record StartSourceCommand(String mountPath, Optional<Credentials> credentials, SourceInfo source,
                              Runnable disconnect) {
        public StartSourceCommand {
            if (mountPath == null || source == null || disconnect == null) {
                throw new IllegalArgumentException("mount path, source info and disconnect are required");
            }
        }

        public StartSourceCommand(String mountPath, Optional<Credentials> credentials, SourceInfo source) {
            this(mountPath, credentials, source, () -> { });
        }

        public boolean validMount() {
            return MountPath.isValid(mountPath);
        }
    }

    sealed interface SourceAdmission {
        record Started(SourceSession session) implements SourceAdmission { }

        record Unauthorized() implements SourceAdmission { }

        record MountInUse() implements SourceAdmission { }

        /** The mount is disabled (the dashboard's Disable, or {@code "enabled": false} in the file). */
        record MountDisabled() implements SourceAdmission { }

        record TooManySources() implements SourceAdmission { }

        record InvalidMount() implements SourceAdmission { }

        /** The declared {@code Content-Type} is not audio or video (see {@code StreamFormat.isStreamable}). */
        record UnsupportedContentType() implements SourceAdmission { }
    }

    /** A connected source: it feeds audio in, then finishes (the mount disappears). */
    interface SourceSession {
        String mountPath();

        /** Audio bytes as they arrive from the encoder. */
        void receive(byte[] data, int offset, int length);

        /**
         * Publishes audio held back for coalescing once it has waited long enough; call it a few
         * times a second from a timer (an encoder that pauses triggers nothing itself).
         */
        void flushIfDue();

        /** The source left (or was dropped): listeners finish and the mount disappears. */
        void finish();

        /**
         * The source's connection goes to another process (a take-over): what is held back is published
         * and nothing more is taken, but the mount stays as it is, listeners and all, for
         * {@link HandOverStreamsUseCase#mountState}. Instead of {@link #finish()}.
         */
        void handOver();
    }
}
