package org.tinyice.adapters.http.fanout;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.StandardProtocolFamily;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The one place where an operating-system socket descriptor becomes a {@link SocketChannel}: a
 * connection Helidon accepted (its {@link Socket} has no channel) and, for a take-over, a descriptor
 * received from another process over {@code SCM_RIGHTS}.
 *
 * <p>The JDK has no public way to build a channel around a descriptor, so this reaches into three JDK
 * internals: {@code Socket.impl} and {@code SocketImpl.fd} to find an accepted socket's descriptor,
 * {@code FileDescriptor(int)} and {@code sun.nio.ch.SocketChannelImpl}'s accept constructor (the one
 * {@code ServerSocketChannel.accept} uses) to wrap one. {@code dup} and {@code getsockname} /
 * {@code getpeername} go through the FFM API. The JVM therefore needs {@code --add-opens} for
 * {@code java.base/java.net}, {@code java.base/java.io} and {@code java.base/sun.nio.ch}, and native
 * access (the jar's manifest says so, as do the test runs); {@link #check()} fails at start with the
 * flags it misses, so a JDK that changes these internals is caught before the first listener.
 */
public final class SocketDescriptors {

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_STORAGE = 128;

    private static final Internals INTERNALS = Internals.load();

    private SocketDescriptors() {
    }

    /**
     * Throws, naming the JVM flags that are missing, unless descriptors can be adopted here. Call at
     * start: it is better not to start than to fail every listener.
     */
    public static void check() {
        if (INTERNALS.failure != null) {
            throw new IllegalStateException("TinyIce's listener write path cannot adopt sockets: "
                    + INTERNALS.failure.getMessage() + ". Run with --add-opens java.base/java.net=ALL-UNNAMED"
                    + " --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
                    + " --enable-native-access=ALL-UNNAMED (run.sh and the jar's manifest do)", INTERNALS.failure);
        }
    }

    /**
     * A channel of its own onto the connection {@code socket} holds: a duplicate descriptor, so that
     * closing {@code socket} afterwards (as Helidon does when its connection handler returns) leaves
     * the TCP connection open for the channel. The channel is in blocking mode.
     *
     * <p>The JDK's {@code Socket.close} shuts the connection's output down ({@code shutdown(SHUT_WR)}:
     * a FIN, whatever other descriptor shares it) unless {@code SO_LINGER} is 0, so this sets
     * {@code SO_LINGER} 0 on the shared socket; a descriptor's {@code close} only resets the connection
     * when it is the last one, so closing {@code socket} then just lets go of its descriptor. Whoever
     * closes the channel must first turn lingering off again ({@link #closeGracefully}), or the
     * listener gets a reset instead of the rest of its bytes and a FIN.
     */
    public static SocketChannel duplicate(Socket socket) throws IOException {
        check();
        socket.setSoLinger(true, 0);
        int fd = descriptorOf(socket);
        int copy;
        try {
            copy = (int) INTERNALS.dup.invokeExact(fd);
        } catch (Throwable t) {
            throw new IOException("dup failed", t);
        }
        if (copy < 0) {
            throw new IOException("dup(" + fd + ") failed");
        }
        return adopt(copy);
    }

    /**
     * Wraps a connected TCP socket descriptor this process owns (a {@link #duplicate}, or one received
     * over {@code SCM_RIGHTS}) in a channel, which owns it from now on: closing the channel closes it.
     */
    public static SocketChannel adopt(int fd) throws IOException {
        check();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_STORAGE);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, SOCKADDR_STORAGE);
            int local = (int) INTERNALS.getsockname.invokeExact(fd, address, length);
            if (local != 0) {
                throw new IOException("descriptor " + fd + " is not a socket");
            }
            int family = Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT, 0));
            ProtocolFamily protocolFamily = switch (family) {
                case AF_INET -> StandardProtocolFamily.INET;
                case AF_INET6 -> StandardProtocolFamily.INET6;
                default -> throw new IOException("descriptor " + fd + " is not a TCP/IP socket (family " + family + ")");
            };
            length.set(ValueLayout.JAVA_INT, 0, SOCKADDR_STORAGE);
            int peer = (int) INTERNALS.getpeername.invokeExact(fd, address, length);
            if (peer != 0) {
                throw new IOException("descriptor " + fd + " is not connected");
            }
            InetSocketAddress remote = socketAddress(address, family);
            FileDescriptor descriptor = INTERNALS.fileDescriptor.newInstance(fd);
            return INTERNALS.channel.newInstance(SelectorProvider.provider(), protocolFamily, descriptor, remote);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("could not adopt descriptor " + fd, t);
        }
    }

    /** Closes an adopted channel with a FIN after its unsent bytes, not a reset (see {@link #duplicate}). */
    public static void closeGracefully(SocketChannel channel) throws IOException {
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_LINGER, -1);
        } catch (IOException | RuntimeException ignored) {
            // the connection is gone already: closing is all that is left
        }
        channel.close();
    }

    /**
     * The descriptor number of a listening {@link ServerSocket} (for a take-over: the listening socket
     * itself goes to the new process). It stays the socket's: {@link #duplicate(int)} before giving it away.
     */
    public static int descriptorOf(ServerSocket socket) throws IOException {
        check();
        try {
            return descriptorOfImpl((SocketImpl) INTERNALS.serverSocketImpl.get(socket), socket);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("no descriptor for " + socket, e);
        }
    }

    /**
     * The descriptor number of a channel (a listener's, to send it to the process that takes over, or a
     * Unix domain socket's, for {@code sendmsg}); it stays the channel's.
     */
    public static int descriptorOf(SocketChannel channel) throws IOException {
        check();
        try {
            return INTERNALS.channelDescriptor.getInt(channel);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("no descriptor for " + channel, e);
        }
    }

    /** {@code dup}: a second descriptor for the same socket, to give away while this one stays in use. */
    public static int duplicate(int fd) throws IOException {
        check();
        int copy;
        try {
            copy = (int) INTERNALS.dup.invokeExact(fd);
        } catch (Throwable t) {
            throw new IOException("dup failed", t);
        }
        if (copy < 0) {
            throw new IOException("dup(" + fd + ") failed");
        }
        return copy;
    }

    /**
     * {@code dup2}: makes descriptor {@code target} refer to {@code source}'s socket in one step (there is
     * no moment when {@code target} is free); the socket {@code target} referred to loses that reference.
     */
    public static void replace(int target, int source) throws IOException {
        check();
        int result;
        try {
            result = (int) INTERNALS.dup2.invokeExact(source, target);
        } catch (Throwable t) {
            throw new IOException("dup2 failed", t);
        }
        if (result != target) {
            throw new IOException("dup2(" + source + ", " + target + ") failed");
        }
    }

    /** Closes a descriptor that no channel owns (one received and not adopted). */
    public static void closeDescriptor(int fd) {
        try {
            int ignored = (int) INTERNALS.close.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing more can be done with it
        }
    }

    /** The descriptor number of a connected {@link Socket} (a platform socket, as every JDK socket is now). */
    static int descriptorOf(Socket socket) throws IOException {
        try {
            return descriptorOfImpl((SocketImpl) INTERNALS.socketImpl.get(socket), socket);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("no descriptor for " + socket, e);
        }
    }

    private static int descriptorOfImpl(SocketImpl impl, Object socket) throws IOException {
        try {
            FileDescriptor descriptor = (FileDescriptor) INTERNALS.implDescriptor.get(impl);
            int fd = descriptor == null ? -1 : INTERNALS.descriptorNumber.getInt(descriptor);
            if (fd < 0) {
                throw new IOException("socket is closed");
            }
            return fd;
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IOException("no descriptor for " + socket, e);
        }
    }

    private static InetSocketAddress socketAddress(MemorySegment address, int family) throws IOException {
        // sockaddr_in / sockaddr_in6: the port in network byte order right after the family
        int port = Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2));
        byte[] ip = family == AF_INET
                ? address.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)
                : address.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    }

    /** The handles, looked up once; {@code failure} says why they could not be. */
    private record Internals(Field channelDescriptor, Field socketImpl, Field serverSocketImpl, Field implDescriptor, Field descriptorNumber,
                             Constructor<FileDescriptor> fileDescriptor, Constructor<SocketChannel> channel,
                             MethodHandle dup, MethodHandle dup2, MethodHandle close,
                             MethodHandle getsockname, MethodHandle getpeername, Exception failure) {

        @SuppressWarnings("unchecked")
        static Internals load() {
            try {
                Field channelDescriptor = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredField("fdVal");
                channelDescriptor.setAccessible(true);
                Field socketImpl = Socket.class.getDeclaredField("impl");
                socketImpl.setAccessible(true);
                Field serverSocketImpl = ServerSocket.class.getDeclaredField("impl");
                serverSocketImpl.setAccessible(true);
                Field implDescriptor = SocketImpl.class.getDeclaredField("fd");
                implDescriptor.setAccessible(true);
                Field descriptorNumber = FileDescriptor.class.getDeclaredField("fd");
                descriptorNumber.setAccessible(true);
                Constructor<FileDescriptor> fileDescriptor = FileDescriptor.class.getDeclaredConstructor(int.class);
                fileDescriptor.setAccessible(true);
                Constructor<SocketChannel> channel = (Constructor<SocketChannel>) Class.forName("sun.nio.ch.SocketChannelImpl")
                        .getDeclaredConstructor(SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class,
                                java.net.SocketAddress.class);
                channel.setAccessible(true);
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                MethodHandle dup = linker.downcallHandle(libc.find("dup").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                MethodHandle dup2 = linker.downcallHandle(libc.find("dup2").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                FunctionDescriptor nameCall = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS);
                MethodHandle getsockname = linker.downcallHandle(libc.find("getsockname").orElseThrow(), nameCall);
                MethodHandle getpeername = linker.downcallHandle(libc.find("getpeername").orElseThrow(), nameCall);
                return new Internals(channelDescriptor, socketImpl, serverSocketImpl, implDescriptor, descriptorNumber, fileDescriptor,
                        channel, dup, dup2, close, getsockname, getpeername, null);
            } catch (Exception | LinkageError e) {
                return new Internals(null, null, null, null, null, null, null, null, null, null, null, null,
                        e instanceof Exception ex ? ex : new IllegalStateException(e));
            }
        }
    }
}
