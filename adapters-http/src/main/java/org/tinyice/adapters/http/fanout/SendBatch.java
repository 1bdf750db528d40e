package org.tinyice.adapters.http.fanout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Sends to many sockets with one system call: an io_uring whose submission queue a {@link WriterLoop}
 * fills with one {@code SEND} per listener (its bytes copied into this batch's native staging memory),
 * then submits, and reads every result of, with one {@code io_uring_enter}.
 *
 * <p>Why: on the machines TinyIce is measured on a system call costs ~1 µs just to enter and leave (a
 * paravirtualised VM with page-table isolation; {@code perf bench syscall basic}), and a small write to a
 * loopback socket ~6-7 µs in all. The same sends through one {@code io_uring_enter} per batch cost ~4 µs
 * each (a C test of 1,000 sockets, docs/performance.md), and TinyIce's listener writes are most of its
 * CPU at a low-latency mount.
 *
 * <p>Every send carries {@code MSG_DONTWAIT}, so the kernel completes each one inline (bytes taken, a
 * short count, or {@code -EAGAIN} when the socket is full) and never parks it to retry later: when
 * {@link #submit} returns, every result is in and the staging memory may be written again. A short or
 * refused send is the writer loop's business ({@code OP_WRITE}), as with a plain {@code write}.
 *
 * <p>Only its writer loop's thread uses a batch. {@link #open} fails where io_uring is missing or
 * forbidden (kernels before 5.6, {@code kernel.io_uring_disabled}, a container's seccomp filter); the
 * loop then writes each socket on its own.
 */
final class SendBatch implements AutoCloseable {

    /** Sends per system call: a batch is submitted when it holds this many. */
    static final int ENTRIES = 256;
    /** Native memory the sends' bytes are copied into: room for a full batch of gathered writes. */
    static final long STAGING_BYTES = 2L * 1024 * 1024;

    /** A send's result when its socket took nothing: {@code -EAGAIN}. */
    static final int EAGAIN = -11;

    private static final int SYS_IO_URING_SETUP = 425;
    private static final int SYS_IO_URING_ENTER = 426;
    private static final int IORING_OP_SEND = 26;
    private static final int IORING_ENTER_GETEVENTS = 1;
    private static final int IORING_FEAT_SINGLE_MMAP = 1;
    private static final long IORING_OFF_SQ_RING = 0L;
    private static final long IORING_OFF_CQ_RING = 0x8000000L;
    private static final long IORING_OFF_SQES = 0x10000000L;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int EINTR = 4;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    private static final int SQE_BYTES = 64;
    private static final int CQE_BYTES = 16;
    /** {@code struct io_uring_params}: 120 bytes; the offsets below are its fields (linux/io_uring.h). */
    private static final int PARAMS_BYTES = 120;
    private static final int PARAMS_SQ_ENTRIES = 0;
    private static final int PARAMS_CQ_ENTRIES = 4;
    private static final int PARAMS_FEATURES = 20;
    private static final int PARAMS_SQ_OFF = 40;
    private static final int PARAMS_CQ_OFF = 80;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final Native NATIVE = Native.load();

    private final Arena arena = Arena.ofShared();
    private final int ringFd;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final MemorySegment staging;
    private final MemorySegment errno;
    private final int sqHead;
    private final int sqTail;
    private final int sqMask;
    private final int sqArray;
    private final int cqHead;
    private final int cqTail;
    private final int cqMask;
    private final int cqes;
    private final long sqRingBytes;
    private final long cqRingBytes;
    private final long sqesBytes;
    private final boolean singleMap;
    private final int[] results = new int[ENTRIES];
    private int count;
    private long used;
    private boolean closed;

    private SendBatch(int ringFd, MemorySegment params) throws IOException {
        this.ringFd = ringFd;
        int sqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES);
        int features = params.get(ValueLayout.JAVA_INT, PARAMS_FEATURES);
        if (sqEntries < ENTRIES || cqEntries < ENTRIES) {
            SocketDescriptors.closeDescriptor(ringFd);
            throw new IOException("io_uring gave " + sqEntries + " / " + cqEntries + " entries, not " + ENTRIES);
        }
        // struct io_sqring_offsets: head, tail, ring_mask, ring_entries, flags, dropped, array
        sqHead = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF);
        sqTail = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + 4);
        sqMask = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + 8);
        sqArray = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + 24);
        // struct io_cqring_offsets: head, tail, ring_mask, ring_entries, overflow, cqes
        cqHead = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF);
        cqTail = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + 4);
        cqMask = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + 8);
        cqes = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + 20);
        long sqBytes = sqArray + 4L * sqEntries;
        long cqBytes = cqes + (long) CQE_BYTES * cqEntries;
        singleMap = (features & IORING_FEAT_SINGLE_MMAP) != 0;
        try {
            if (singleMap) {
                sqRingBytes = Math.max(sqBytes, cqBytes);
                cqRingBytes = 0;
                sqRing = NATIVE.map(ringFd, sqRingBytes, IORING_OFF_SQ_RING);
                cqRing = sqRing;
            } else {
                sqRingBytes = sqBytes;
                cqRingBytes = cqBytes;
                sqRing = NATIVE.map(ringFd, sqRingBytes, IORING_OFF_SQ_RING);
                cqRing = NATIVE.map(ringFd, cqRingBytes, IORING_OFF_CQ_RING);
            }
            sqesBytes = (long) SQE_BYTES * sqEntries;
            sqes = NATIVE.map(ringFd, sqesBytes, IORING_OFF_SQES);
        } catch (IOException e) {
            SocketDescriptors.closeDescriptor(ringFd);
            throw e;
        }
        staging = arena.allocate(STAGING_BYTES, 4096);
        errno = arena.allocate(Native.CALL_STATE);
    }

    /** A batch of its own (an io_uring and its staging memory); throws where io_uring cannot be used. */
    static SendBatch open() throws IOException {
        if (NATIVE.failure != null) {
            throw new IOException("no native access: " + NATIVE.failure.getMessage(), NATIVE.failure);
        }
        try (Arena local = Arena.ofConfined()) {
            MemorySegment params = local.allocate(PARAMS_BYTES, 8);
            MemorySegment state = local.allocate(Native.CALL_STATE);
            long fd = NATIVE.setup(state, ENTRIES, params.address());
            if (fd < 0) {
                throw new IOException("io_uring_setup failed: errno " + Native.errno(state));
            }
            return new SendBatch((int) fd, params);
        }
    }

    /** Sends added since the last {@link #submit}. */
    int size() {
        return count;
    }

    /** Staging bytes still free in this batch. */
    long room() {
        return count == ENTRIES ? 0 : STAGING_BYTES - used;
    }

    /** Where the next send's bytes go: copy them to {@code staging()} at {@code used()}, then {@link #add}. */
    MemorySegment staging() {
        return staging;
    }

    long used() {
        return used;
    }

    /**
     * Adds a send of the {@code length} bytes copied to {@link #staging()} at {@link #used()} to socket
     * {@code fd}, and returns its index for {@link #result}.
     */
    int add(int fd, int length) {
        if (count == ENTRIES || length > STAGING_BYTES - used) {
            throw new IllegalStateException("batch full");
        }
        int tail = (int) INT.getAcquire(sqRing, (long) sqTail); // only this thread moves it
        int slot = tail & sqRing.get(ValueLayout.JAVA_INT, sqMask);
        long sqe = (long) slot * SQE_BYTES;
        // the fields not set here stay 0: the kernel never writes a submission entry, and mmap zeroed them
        sqes.set(ValueLayout.JAVA_BYTE, sqe, (byte) IORING_OP_SEND);
        sqes.set(ValueLayout.JAVA_INT, sqe + 4, fd);
        sqes.set(ValueLayout.JAVA_LONG, sqe + 16, staging.address() + used);
        sqes.set(ValueLayout.JAVA_INT, sqe + 24, length);
        sqes.set(ValueLayout.JAVA_INT, sqe + 28, MSG_DONTWAIT | MSG_NOSIGNAL);
        sqes.set(ValueLayout.JAVA_LONG, sqe + 32, count);
        sqRing.set(ValueLayout.JAVA_INT, sqArray + 4L * slot, slot);
        INT.setRelease(sqRing, (long) sqTail, tail + 1);
        used += length;
        return count++;
    }

    /**
     * Sends everything added, with one {@code io_uring_enter} (more only if a signal interrupts it), and
     * keeps each send's result for {@link #result}; the batch is then empty.
     */
    void submit() throws IOException {
        int submitted = count;
        int completed = 0;
        while (completed < submitted) {
            int toSubmit = (int) INT.getAcquire(sqRing, (long) sqTail) - (int) INT.getAcquire(sqRing, (long) sqHead);
            long entered = NATIVE.enter(errno, ringFd, toSubmit, submitted - completed, IORING_ENTER_GETEVENTS);
            if (entered < 0 && Native.errno(errno) != EINTR) {
                throw new IOException("io_uring_enter failed: errno " + Native.errno(errno));
            }
            completed += reap();
        }
        count = 0;
        used = 0;
    }

    /** The result of send {@code index} of the last {@link #submit}: bytes sent, or {@code -errno}. */
    int result(int index) {
        return results[index];
    }

    private int reap() {
        int head = (int) INT.getAcquire(cqRing, (long) cqHead);
        int tail = (int) INT.getAcquire(cqRing, (long) cqTail);
        int mask = cqRing.get(ValueLayout.JAVA_INT, cqMask);
        int reaped = 0;
        for (; head != tail; head++, reaped++) {
            long cqe = cqes + (long) (head & mask) * CQE_BYTES;
            int index = (int) cqRing.get(ValueLayout.JAVA_LONG, cqe);
            results[index] = cqRing.get(ValueLayout.JAVA_INT, cqe + 8);
        }
        INT.setRelease(cqRing, (long) cqHead, head);
        return reaped;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NATIVE.unmap(sqes, sqesBytes);
        NATIVE.unmap(sqRing, sqRingBytes);
        if (!singleMap) {
            NATIVE.unmap(cqRing, cqRingBytes);
        }
        SocketDescriptors.closeDescriptor(ringFd);
        arena.close();
    }

    /** libc's {@code syscall}, {@code mmap} and {@code munmap}, looked up once ({@code close}: {@link SocketDescriptors}). */
    private record Native(MethodHandle setupCall, MethodHandle enterCall, MethodHandle mmap, MethodHandle munmap,
                          Exception failure) {

        static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        static Native load() {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                MemorySegment syscall = libc.find("syscall").orElseThrow();
                Linker.Option variadic = Linker.Option.firstVariadicArg(1);
                Linker.Option errno = Linker.Option.captureCallState("errno");
                MethodHandle setup = linker.downcallHandle(syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), variadic, errno);
                MethodHandle enter = linker.downcallHandle(syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), variadic, errno);
                MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                return new Native(setup, enter, mmap, munmap, null);
            } catch (RuntimeException | LinkageError e) {
                return new Native(null, null, null, null,
                        e instanceof RuntimeException r ? r : new IllegalStateException(e));
            }
        }

        static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }

        long setup(MemorySegment state, int entries, long params) {
            try {
                return (long) setupCall.invokeExact(state, (long) SYS_IO_URING_SETUP, (long) entries, params);
            } catch (Throwable t) {
                throw new IllegalStateException("io_uring_setup", t);
            }
        }

        long enter(MemorySegment state, int fd, int toSubmit, int minComplete, int flags) {
            try {
                return (long) enterCall.invokeExact(state, (long) SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
                        (long) minComplete, (long) flags, 0L, 0L);
            } catch (Throwable t) {
                throw new IllegalStateException("io_uring_enter", t);
            }
        }

        MemorySegment map(int fd, long bytes, long offset) throws IOException {
            MemorySegment address;
            try {
                address = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                        MAP_SHARED_POPULATE, fd, offset);
            } catch (Throwable t) {
                throw new IOException("mmap of the io_uring failed", t);
            }
            if (address.address() == -1L || address.address() == 0L) {
                throw new IOException("mmap of the io_uring failed");
            }
            return address.reinterpret(bytes);
        }

        void unmap(MemorySegment segment, long bytes) {
            try {
                int ignored = (int) munmap.invokeExact(segment, bytes);
            } catch (Throwable ignored) {
                // the process keeps a mapping it no longer uses
            }
        }
    }
}
