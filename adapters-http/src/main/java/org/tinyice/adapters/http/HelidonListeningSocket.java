package org.tinyice.adapters.http;

import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.util.Map;

/**
 * The listening sockets of Helidon 4.2's listeners (the plain port's, the HTTPS port's), for a take-over
 * (zero-downtime update):
 * the old process gives its descriptor away and stops accepting on it without closing the socket;
 * the new process accepts on the very same socket. Helidon has no API for either, so this reads three
 * private fields ({@code LoomServer.listeners}, {@code ServerListener.serverSocket} and
 * {@code inCheckpoint}); {@link #check()} runs at start so that a Helidon that changes them stops
 * TinyIce at once, not at the first update.
 *
 * <p>Why one socket and not two {@code SO_REUSEPORT} sockets: the kernel spreads new connections over
 * every socket of the port, and closing one resets the connections waiting in its accept queue (unless
 * {@code net.ipv4.tcp_migrate_req} is 1, which is off by default and per network namespace). A socket
 * that is never closed, only handed from one process to the next, loses nothing.
 */
final class HelidonListeningSocket {

    private static final Fields FIELDS = Fields.load();

    private HelidonListeningSocket() {
    }

    static void check() {
        if (FIELDS.failure != null) {
            throw new IllegalStateException("this Helidon's listener has no 'serverSocket'/'inCheckpoint' field:"
                    + " TinyIce's take-over needs Helidon 4.2's", FIELDS.failure);
        }
    }

    /** The listening socket Helidon accepts on now for the listener {@code socketName}. */
    static ServerSocket of(WebServer server, String socketName) throws IOException {
        check();
        try {
            return (ServerSocket) FIELDS.serverSocket.get(listener(server, socketName));
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        }
    }

    /**
     * Stops Helidon accepting new connections while the ones it has go on, and lets go of this
     * process's descriptor of the listening socket. The socket itself stays open and listening as long
     * as another descriptor (the new process's) refers to it: the JDK's close of a listening socket is a
     * {@code dup2} over the descriptor and a signal to the accepting thread, never a {@code shutdown}.
     * Helidon's own way to stop accepting only ({@code inCheckpoint}, for CRaC) ends its accept loop
     * quietly; {@link WebServer#stop()} still closes the connections later.
     */
    static void stopAccepting(WebServer server, String socketName) throws IOException {
        check();
        try {
            Object listener = listener(server, socketName);
            FIELDS.inCheckpoint.setBoolean(listener, true);
            ((ServerSocket) FIELDS.serverSocket.get(listener)).close();
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        }
    }

    /**
     * Undoes {@link #stopAccepting}: Helidon's accept loop runs again, on a socket it binds afresh to its
     * configured address (CRaC's resume); the caller then puts the socket it means into its place.
     */
    static void resumeAccepting(WebServer server, String socketName) throws IOException {
        check();
        try {
            Object listener = listener(server, socketName);
            FIELDS.resume.invoke(listener);
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }

    private static Object listener(WebServer server, String socketName) throws IllegalAccessException, IOException {
        Map<?, ?> listeners = (Map<?, ?>) FIELDS.listeners.get(server);
        Object listener = listeners.get(socketName);
        if (listener == null) {
            throw new IOException("Helidon has no listener '" + socketName + "'");
        }
        return listener;
    }

    private record Fields(Field listeners, Field serverSocket, Field inCheckpoint, java.lang.reflect.Method resume,
                          Exception failure) {
        static Fields load() {
            try {
                Field listeners = Class.forName("io.helidon.webserver.LoomServer").getDeclaredField("listeners");
                listeners.setAccessible(true);
                Class<?> listenerClass = Class.forName("io.helidon.webserver.ServerListener");
                Field serverSocket = listenerClass.getDeclaredField("serverSocket");
                serverSocket.setAccessible(true);
                Field inCheckpoint = listenerClass.getDeclaredField("inCheckpoint");
                inCheckpoint.setAccessible(true);
                if (serverSocket.getType() != ServerSocket.class || inCheckpoint.getType() != boolean.class) {
                    throw new NoSuchFieldException("serverSocket/inCheckpoint changed type");
                }
                java.lang.reflect.Method resume = listenerClass.getDeclaredMethod("resume");
                resume.setAccessible(true);
                return new Fields(listeners, serverSocket, inCheckpoint, resume, null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Fields(null, null, null, null, e);
            }
        }
    }
}
