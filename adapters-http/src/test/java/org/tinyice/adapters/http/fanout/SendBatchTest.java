package org.tinyice.adapters.http.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring batch over real loopback sockets: what each send's result says must be what the socket
 * did, since the writer loop trusts it to consume, wait for {@code OP_WRITE}, or drop the listener.
 * Skipped where the kernel refuses io_uring (the engine then writes each socket on its own, which
 * {@code FanOutEngineWithoutIoUringTest} covers).
 */
class SendBatchTest {

    private ServerSocketChannel server;
    private SendBatch batch;
    private final List<Socket> peers = new ArrayList<>();
    private final List<SocketChannel> channels = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        try {
            batch = SendBatch.open();
        } catch (IOException e) {
            Assumptions.abort("io_uring is not available here: " + e.getMessage());
        }
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        if (batch != null) {
            batch.close();
        }
        for (Socket peer : peers) {
            peer.close();
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneSubmitSendsEachSocketItsOwnBytes() throws Exception {
        SocketChannel[] sockets = {connect(), connect(), connect()};
        byte[][] sent = new byte[3][];
        for (int i = 0; i < 3; i++) {
            sent[i] = bytes(100 + i * 1000, i);
            assertEquals(i, add(sockets[i], sent[i]));
        }
        batch.submit();

        assertEquals(0, batch.size(), "empty again");
        for (int i = 0; i < 3; i++) {
            assertEquals(sent[i].length, batch.result(i));
            assertArrayEquals(sent[i], peers.get(i).getInputStream().readNBytes(sent[i].length));
        }
    }

    @Test
    void aFullSocketTakesPartThenNothingAndTheRestOfTheBatchGoesOut() throws Exception {
        SocketChannel full = connect();
        full.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4096);
        SocketChannel healthy = connect();
        byte[] big = bytes(1024 * 1024, 7); // far more than a 4 KiB send buffer and a peer not reading hold
        byte[] small = bytes(500, 9);
        add(full, big);
        add(healthy, small);
        batch.submit();

        int took = batch.result(0);
        assertTrue(took > 0 && took < big.length, "a short count, not a wait: " + took);
        assertEquals(small.length, batch.result(1));
        // the peer's receive buffer may still grow: offer more until the socket takes nothing, which
        // submit reports at once instead of waiting for room
        int result = took;
        for (int i = 0; i < 1000 && result != SendBatch.EAGAIN; i++) {
            add(full, bytes(64 * 1024, i));
            batch.submit();
            result = batch.result(0);
            assertTrue(result > 0 || result == SendBatch.EAGAIN, "bytes or -EAGAIN: " + result);
        }
        assertEquals(SendBatch.EAGAIN, result, "a socket that takes nothing");
        assertArrayEquals(small, peers.get(1).getInputStream().readNBytes(small.length));
    }

    @Test
    void aSocketWhosePeerResetItFailsWithAnErrorOtherThanEagain() throws Exception {
        SocketChannel gone = connect();
        peers.get(0).setSoLinger(true, 0);
        peers.get(0).close(); // a reset
        Thread.sleep(50);
        add(gone, bytes(100, 3));
        batch.submit();

        int result = batch.result(0);
        assertTrue(result < 0 && result != SendBatch.EAGAIN, "an error: " + result);
    }

    @Test
    void aFullBatchRefusesMore() throws Exception {
        SocketChannel socket = connect();
        for (int i = 0; i < SendBatch.ENTRIES; i++) {
            add(socket, bytes(1, i));
        }
        assertEquals(0, batch.room());
        assertThrows(IllegalStateException.class, () -> batch.add(SocketDescriptors.descriptorOf(socket), 1));
        batch.submit();
        assertEquals(SendBatch.STAGING_BYTES, batch.room());
        assertEquals(SendBatch.ENTRIES, peers.get(0).getInputStream().readNBytes(SendBatch.ENTRIES).length);
    }

    @Test
    void theEngineSendsThroughIoUringWhereTheKernelAllowsIt() {
        try (FanOutEngine engine = new FanOutEngine(1, FanOutEngine.DEFAULT_STALL_NANOS)) {
            assertTrue(engine.usesIoUring(), "io_uring works here (this test runs only then)");
        }
        try (FanOutEngine engine = new FanOutEngine(1, FanOutEngine.DEFAULT_STALL_NANOS, false)) {
            assertFalse(engine.usesIoUring());
        }
    }

    private int add(SocketChannel channel, byte[] bytes) throws IOException {
        int length = (int) Math.min(bytes.length, batch.room());
        MemorySegment.copy(bytes, 0, batch.staging(), ValueLayout.JAVA_BYTE, batch.used(), length);
        return batch.add(SocketDescriptors.descriptorOf(channel), length);
    }

    private SocketChannel connect() throws IOException {
        Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.socket().getLocalPort());
        peers.add(peer);
        SocketChannel channel = server.accept();
        channel.configureBlocking(false);
        channels.add(channel);
        return channel;
    }

    private static byte[] bytes(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }
}
