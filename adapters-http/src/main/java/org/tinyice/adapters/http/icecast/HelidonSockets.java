package org.tinyice.adapters.http.icecast;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PlainSocket;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Socket;

/**
 * The {@link Socket} under a connection Helidon 4.2 accepted. Helidon accepts with a classic
 * {@code ServerSocket} and keeps the socket private in its {@link PlainSocket}; a listener's connection
 * is handed to TinyIce's own writer ({@code fanout.FanOutEngine}) through a duplicate of that socket's
 * descriptor, so this reads the one private field. Helidon's classes are on the class path (an
 * unnamed module), so no JVM flag is needed; {@link #check()} runs at start so that a Helidon that
 * renames the field stops TinyIce at once instead of failing every listener.
 */
final class HelidonSockets {

    private static final Field DELEGATE = delegateField();

    private HelidonSockets() {
    }

    static void check() {
        if (DELEGATE == null) {
            throw new IllegalStateException("this Helidon's PlainSocket has no 'delegate' socket: TinyIce's listener"
                    + " write path needs Helidon 4.2's");
        }
    }

    static Socket socketOf(HelidonSocket socket) throws IOException {
        if (!(socket instanceof PlainSocket plain) || DELEGATE == null) {
            throw new IOException("not a plain Helidon socket: " + socket.getClass().getName());
        }
        try {
            return (Socket) DELEGATE.get(plain);
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        }
    }

    private static Field delegateField() {
        try {
            Field field = PlainSocket.class.getDeclaredField("delegate");
            field.setAccessible(true);
            return field.getType() == Socket.class ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
