package org.tinyice.adapters.http.takeover;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tinyice.adapters.http.fanout.SocketDescriptors;

/**
 * Messages over a connected Unix domain socket, each with the descriptors it carries ({@code SCM_RIGHTS}).
 * A message is a 4-byte big-endian length and that many bytes (UTF-8 text for the take-over's
 * requests), sent with one {@code sendmsg} whose control data holds its descriptors; the receiver gets
 * them with the message's first bytes (Linux never merges a read across a segment that carries descriptors).
 *
 * <p>The JDK's Unix domain channels do not pass descriptors, so {@code sendmsg}/{@code recvmsg} go
 * through the FFM API on the channel's own descriptor (the channel stays in blocking mode and owns it).
 * The structures are Linux's on 64-bit machines ({@code msghdr} 56 bytes, {@code cmsghdr} 16).
 * Why FFM and not junixsocket: the server already calls {@code dup}/{@code getsockname} this way
 * ({@link SocketDescriptors}), these are two more calls, and a native library per platform is a bigger
 * thing to ship than these lines.
 */
final class UnixMessages implements AutoCloseable {

    /** The kernel's limit per message is 253 ({@code SCM_MAX_FD}). */
    static final int MAX_DESCRIPTORS = 250;
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int EINTR = 4;
    private static final int CMSG_HEADER = 16;
    private static final int MSGHDR = 56;

    private static final Native NATIVE = Native.load();

    private final SocketChannel channel;
    private final int fd;

    UnixMessages(SocketChannel channel) throws IOException {
        NATIVE.check();
        this.channel = channel;
        this.fd = SocketDescriptors.descriptorOf(channel);
    }

    /** Sends a message of kind {@code type} carrying {@code data} and {@code descriptors}. */
    void send(String type, byte[] data, int... descriptors) throws IOException {
        byte[] name = (type + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] payload = java.util.Arrays.copyOf(name, name.length + data.length);
        System.arraycopy(data, 0, payload, name.length, data.length);
        send(payload, descriptors);
    }

    /** Sends {@code text} with {@code descriptors} (which stay this process's too: the receiver gets copies). */
    void send(String text, int... descriptors) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8), descriptors);
    }

    void send(byte[] payload, int... descriptors) throws IOException {
        if (descriptors.length > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("at most " + MAX_DESCRIPTORS + " descriptors per message");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(4L + payload.length);
            data.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0, payload.length);
            MemorySegment.copy(payload, 0, data, ValueLayout.JAVA_BYTE, 4, payload.length);
            long offset = 0;
            boolean first = true;
            while (offset < data.byteSize()) {
                MemorySegment rest = data.asSlice(offset);
                MemorySegment control = MemorySegment.NULL;
                long controlLength = 0;
                if (first && descriptors.length > 0) {
                    controlLength = space(descriptors.length);
                    control = arena.allocate(controlLength, 8);
                    control.set(ValueLayout.JAVA_LONG, 0, CMSG_HEADER + 4L * descriptors.length);
                    control.set(ValueLayout.JAVA_INT, 8, SOL_SOCKET);
                    control.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
                    for (int i = 0; i < descriptors.length; i++) {
                        control.set(ValueLayout.JAVA_INT, CMSG_HEADER + 4L * i, descriptors[i]);
                    }
                }
                MemorySegment header = header(arena, rest, rest.byteSize(), control, controlLength);
                long sent = call(NATIVE.sendmsg, header, MSG_NOSIGNAL, "sendmsg");
                offset += sent;
                first = false;
            }
        }
    }

    /** The next message and the descriptors that came with it (this process owns them now). */
    Message receive() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            List<Integer> received = new ArrayList<>();
            MemorySegment length = arena.allocate(4);
            readFully(arena, length, received);
            int size = length.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
            if (size < 0 || size > MAX_MESSAGE) {
                closeAll(received);
                throw new IOException("bad take-over message length " + size);
            }
            MemorySegment payload = arena.allocate(Math.max(1, size));
            readFully(arena, payload.asSlice(0, size), received);
            return new Message(payload.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE),
                    received.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private void readFully(Arena arena, MemorySegment into, List<Integer> descriptors) throws IOException {
        long offset = 0;
        while (offset < into.byteSize()) {
            MemorySegment rest = into.asSlice(offset);
            long controlLength = space(MAX_DESCRIPTORS);
            MemorySegment control = arena.allocate(controlLength, 8);
            MemorySegment header = header(arena, rest, rest.byteSize(), control, controlLength);
            long read = call(NATIVE.recvmsg, header, MSG_CMSG_CLOEXEC, "recvmsg");
            collect(header, control, descriptors);
            if (read == 0) {
                closeAll(descriptors);
                throw new EOFException("the other process closed the take-over connection");
            }
            offset += read;
        }
    }

    /** The descriptors of every {@code SCM_RIGHTS} block in {@code control} ({@code CMSG_NXTHDR}'s walk). */
    private static void collect(MemorySegment header, MemorySegment control, List<Integer> descriptors) {
        long used = header.get(ValueLayout.JAVA_LONG, 40);
        long at = 0;
        while (at + CMSG_HEADER <= used) {
            long length = control.get(ValueLayout.JAVA_LONG, at);
            if (length < CMSG_HEADER) {
                break;
            }
            if (control.get(ValueLayout.JAVA_INT, at + 8) == SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, at + 12) == SCM_RIGHTS) {
                for (long i = at + CMSG_HEADER; i + 4 <= at + length; i += 4) {
                    descriptors.add(control.get(ValueLayout.JAVA_INT, i));
                }
            }
            at += (length + 7) & ~7L;
        }
    }

    private static MemorySegment header(Arena arena, MemorySegment data, long length, MemorySegment control,
                                        long controlLength) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, length);
        MemorySegment header = arena.allocate(MSGHDR, 8);
        header.set(ValueLayout.ADDRESS, 16, iov);
        header.set(ValueLayout.JAVA_LONG, 24, 1);
        header.set(ValueLayout.ADDRESS, 32, control);
        header.set(ValueLayout.JAVA_LONG, 40, controlLength);
        return header;
    }

    private long call(MethodHandle function, MemorySegment header, int flags, String name) throws IOException {
        while (true) {
            long result;
            int errno;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(Native.ERRNO_LAYOUT);
                result = (long) function.invokeExact(state, fd, header, flags);
                errno = state.get(ValueLayout.JAVA_INT, Native.ERRNO_OFFSET);
            } catch (Throwable t) {
                throw new IOException(name + " failed", t);
            }
            if (result >= 0) {
                return result;
            }
            if (errno != EINTR) {
                throw new IOException(name + " failed: errno " + errno);
            }
        }
    }

    private static long space(int descriptors) {
        return CMSG_HEADER + ((4L * descriptors + 7) & ~7L);
    }

    /** Closes descriptors this process received but will not use. */
    static void closeAll(List<Integer> descriptors) {
        for (int descriptor : descriptors) {
            SocketDescriptors.closeDescriptor(descriptor);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A message: its bytes and the descriptors that came with it. */
    record Message(byte[] payload, int[] descriptors) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The kind of a message sent with {@link #send(String, byte[], int...)}: its first line. */
        String type() {
            int end = newline();
            return new String(payload, 0, end < 0 ? payload.length : end, StandardCharsets.UTF_8);
        }

        /** What follows the kind. */
        byte[] data() {
            int end = newline();
            return end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(payload, end + 1, payload.length);
        }

        private int newline() {
            for (int i = 0; i < payload.length; i++) {
                if (payload[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    private record Native(MethodHandle sendmsg, MethodHandle recvmsg, Exception failure) {

        static final java.lang.foreign.StructLayout ERRNO_LAYOUT = Linker.Option.captureStateLayout();
        static final long ERRNO_OFFSET = ERRNO_LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

        void check() throws IOException {
            if (failure != null) {
                throw new IOException("descriptor passing is not available: " + failure.getMessage()
                        + " (run with --enable-native-access=ALL-UNNAMED)",
                        failure);
            }
        }

        static Native load() {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                FunctionDescriptor message = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
                MethodHandle sendmsg = linker.downcallHandle(libc.find("sendmsg").orElseThrow(), message, errno);
                MethodHandle recvmsg = linker.downcallHandle(libc.find("recvmsg").orElseThrow(), message, errno);
                return new Native(sendmsg, recvmsg, null);
            } catch (Exception | LinkageError e) {
                return new Native(null, null,
                        e instanceof Exception ex ? ex : new IllegalStateException(e));
            }
        }
    }
}
