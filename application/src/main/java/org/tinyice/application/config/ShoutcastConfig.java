package org.tinyice.application.config;

import java.util.Objects;
import java.util.Optional;
import org.tinyice.domain.mount.MountPath;

/**
 * One entry of {@code "shoutcast"} in {@code tinyice.json}: a port on which SHOUTcast v1 encoders
 * (hardware encoders, SAM Broadcaster, old BUTT set-ups) connect, send the password and a line break,
 * then {@code icy-*} headers and audio, as Icecast's {@code <shoutcast-mount>} takes them. Their
 * stream appears on {@code mount} of the main port, like any source's.
 *
 * @param port  the port to listen on; empty: the server's port + 1 (SHOUTcast's convention, and
 *              Icecast's); 0: a free port (tests)
 * @param mount the mount the encoder streams to (the protocol has no way to name one)
 */
public record ShoutcastConfig(Optional<Integer> port, String mount) {

    public ShoutcastConfig {
        Objects.requireNonNull(port, "port");
        port.ifPresent(p -> Settings.requireBetween("port", p, 0, 65_535));
        if (mount == null || !MountPath.isValid(mount)) {
            throw new InvalidSettingException("shoutcast \"mount\" \"" + mount + "\" is not a valid mount (it must"
                    + " start with / and use only letters, digits and ._-~/)", "mount");
        }
    }

    /** The port this entry listens on when the server's own is {@code serverPort}. */
    public int portFor(int serverPort) {
        return port.orElse(serverPort + 1);
    }
}
