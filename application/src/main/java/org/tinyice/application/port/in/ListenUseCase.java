package org.tinyice.application.port.in;

import java.util.Optional;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.domain.mount.SourceInfo;

/** A player asks for a mount's stream. */
public interface ListenUseCase {

    ListenAdmission listen(ListenCommand command);

    /**
     * @param credentials what the player sent (Basic auth), for mounts that require listeners to log in
     * @param disconnect  closes the listener's connection from another thread (admin kick, shutdown)
     * @param headOnly    a {@code HEAD}: the response head and no audio, so no listener hook is asked or told
     */
    record ListenCommand(String mountPath, String remoteAddress, String userAgent, Optional<Credentials> credentials,
                         Runnable disconnect, boolean headOnly) {

        public ListenCommand(String mountPath, String remoteAddress, String userAgent, Optional<Credentials> credentials,
                             Runnable disconnect) {
            this(mountPath, remoteAddress, userAgent, credentials, disconnect, false);
        }

        public ListenCommand(String mountPath, String remoteAddress, String userAgent, Runnable disconnect) {
            this(mountPath, remoteAddress, userAgent, Optional.empty(), disconnect);
        }
    }

    sealed interface ListenAdmission {
        record Admitted(ListenerSession session) implements ListenAdmission { }

        record NotFound() implements ListenAdmission { }

        /**
         * The mount's listener authentication said no.
         *
         * @param challenge whether the client should be asked for a user and password (static users)
         */
        record Unauthorized(boolean challenge) implements ListenAdmission { }

        record MountFull() implements ListenAdmission { }

        record ServerFull() implements ListenAdmission { }

        /**
         * The mount or the server is full, and an edge has room: the listener is sent there, to the
         * same path and query it asked for here.
         */
        record Redirected(EdgeAddress edge) implements ListenAdmission { }
    }

    /**
     * A connected listener: what its response head announces, what it is sent ({@link #feed}), and how
     * it leaves. The caller must call {@link #leave()} exactly once, however the connection ends.
     */
    interface ListenerSession {

        /** The source of the mount the listener joined: its content type and the headers players get. */
        SourceInfo source();

        /** The listener as the status pages show it (bytes sent so far included), for the access log. */
        ServerStatusQuery.ListenerStatus status();

        /**
         * What this listener is sent from now on.
         *
         * @param icyRequested whether the player asked for ICY metadata ({@code Icy-MetaData: 1}); it
         *                     gets it only where the mount's format carries it
         */
        ListenerFeed feed(boolean icyRequested);

        void leave();
    }
}
