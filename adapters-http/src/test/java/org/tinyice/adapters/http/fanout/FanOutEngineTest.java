package org.tinyice.adapters.http.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.in.ListenerFeed;
import org.tinyice.application.port.out.ListenerOutput;
import org.tinyice.domain.icy.IcyInterleaver;
import org.tinyice.domain.stream.Chunk;
import org.tinyice.domain.stream.RingCursor;
import org.tinyice.domain.stream.StreamRing;

/**
 * The engine over real sockets on loopback: a listener is a real accepted {@link SocketChannel}, the
 * player a plain {@link Socket}; the feed reads a real {@link StreamRing} (the application's feed adds
 * moves, laps and counting on top, and is tested on its own).
 */
class FanOutEngineTest {

    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private ServerSocketChannel server;
    private FanOutEngine engine;
    private final List<Socket> players = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        engine = newEngine(2);
    }

    /** The engine under test: batched through io_uring where this kernel allows it. */
    FanOutEngine newEngine(int threads) {
        return new FanOutEngine(threads, STALL_NANOS, true);
    }

    @AfterEach
    void close() throws IOException {
        engine.close();
        for (Socket player : players) {
            player.close();
        }
        server.close();
    }

    @Test
    void aListenerGetsEveryChunkInOrderAndAFinWhenTheStreamEnds() throws Exception {
        StreamRing ring = new StreamRing(64);
        Socket player = player(0);
        CompletableFuture<FanOutEngine.Ending> ended = new CompletableFuture<>();
        engine.attach(accept(0), new RingFeed(ring, ring.head(), 0), ended::complete);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] chunk = chunk(i, 1000 + i);
            expected.write(chunk);
            ring.publish(chunk, 0, chunk.length);
            Thread.sleep(2);
        }
        ring.close();

        assertArrayEquals(expected.toByteArray(), player.getInputStream().readAllBytes(), "all, in order, then EOF");
        assertEquals(FanOutEngine.Ending.ENDED, ended.get(5, TimeUnit.SECONDS));
        assertEquals(0, engine.listeners());
    }

    @Test
    void chunksThatWrapAroundTheRingGoOutInOrder() throws Exception {
        StreamRing ring = new StreamRing(8);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // slots 0..7, then 8 and 9 overwrite slots 0 and 1
            chunks.add(chunk(i, 3000));
            ring.publish(chunks.get(i), 0, 3000);
        }
        Socket player = player(0);
        // starts at sequence 4: slots 4..7 then 0..1, gathered into one write
        engine.attach(accept(0), new RingFeed(ring, 4, 0), ending -> { });

        byte[] got = player.getInputStream().readNBytes(6 * 3000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 4; i < 10; i++) {
            expected.write(chunks.get(i));
        }
        assertArrayEquals(expected.toByteArray(), got);
    }

    @Test
    void moreListenersAndBytesThanOneBatchHoldsGetEveryByte() throws Exception {
        // 300 waiting listeners woken by the same chunks: more sends than a batch has entries (256), and
        // more bytes than its staging memory (2 MiB), so the batch goes out in several system calls
        int count = 300;
        StreamRing ring = new StreamRing(64);
        List<Socket> listening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            listening.add(player(0));
            engine.attach(accept(0), new RingFeed(ring, ring.head(), 0), ending -> { });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.listeners() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // each has found the ring empty and waits to be woken
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            byte[] chunk = chunk(i, 20_000 + i);
            expected.write(chunk);
            ring.publish(chunk, 0, chunk.length);
        }
        ring.close();

        try (var readers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<byte[]>> got = new ArrayList<>();
            for (Socket player : listening) {
                got.add(readers.submit(() -> player.getInputStream().readAllBytes()));
            }
            for (java.util.concurrent.Future<byte[]> bytes : got) {
                assertArrayEquals(expected.toByteArray(), bytes.get(20, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void moreThanTheLoopsBufferAtOnceGoesOutWholeThroughASlowSocket() throws Exception {
        // a chunk bigger than the loop's direct buffer, and many pending behind it, through a socket
        // that takes a few KiB at a time: every write is partial, most slices are split between writes
        StreamRing ring = new StreamRing(64);
        Socket player = player(4096);
        engine.attach(accept(8 * 1024), new RingFeed(ring, ring.head(), 0), ending -> { });
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] big = chunk(1, 2 * WriterLoop.OUT_BYTES + 777);
        expected.write(big);
        ring.publish(big, 0, big.length);
        for (int i = 0; i < 30; i++) {
            byte[] chunk = chunk(i, 10_000 + i * 101);
            expected.write(chunk);
            ring.publish(chunk, 0, chunk.length);
        }

        InputStream in = player.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] piece = new byte[3000];
        while (got.size() < expected.size()) {
            int n = in.read(piece, 0, Math.min(piece.length, expected.size() - got.size()));
            assertTrue(n > 0, "the stream went on");
            got.write(piece, 0, n);
            if (got.size() % 7 == 0) {
                Thread.sleep(1); // now and then a slower reader
            }
        }
        assertArrayEquals(expected.toByteArray(), got.toByteArray());
    }

    @Test
    void icyMetadataComesAtTheListenersIntervalAcrossChunks() throws Exception {
        StreamRing ring = new StreamRing(64);
        ring.title("First song");
        Socket player = player(0);
        int metaint = 1000;
        engine.attach(accept(0), new RingFeed(ring, ring.head(), metaint), ending -> { });
        for (int i = 0; i < 5; i++) {
            byte[] chunk = chunk(i, 700); // blocks fall inside chunks and between them
            ring.publish(chunk, 0, chunk.length);
        }

        InputStream in = player.getInputStream();
        byte[] audio = in.readNBytes(metaint);
        assertEquals(chunk(0, 700)[0], audio[0]);
        int blocks = in.read();
        byte[] block = in.readNBytes(blocks * 16);
        assertTrue(new String(block, StandardCharsets.UTF_8).startsWith("StreamTitle='First song';"),
                new String(block, StandardCharsets.UTF_8));
        in.readNBytes(metaint);
        assertEquals(0, in.read(), "the same title is not repeated");
        byte[] rest = in.readNBytes(500); // bytes 2000..2499 of the stream: chunk 2 from byte 600
        assertEquals(chunk(2, 700)[600], rest[0]);
    }

    @Test
    void aStalledListenerIsClosedAndNeverSlowsAHealthyOne() throws Exception {
        StreamRing ring = new StreamRing(256);
        Socket stalledPlayer = player(4096);
        CompletableFuture<FanOutEngine.Ending> stalledEnd = new CompletableFuture<>();
        SocketChannel stalled = accept(16 * 1024);
        engine.attach(stalled, new RingFeed(ring, ring.head(), 0), stalledEnd::complete);
        Socket healthyPlayer = player(0);
        CompletableFuture<FanOutEngine.Ending> healthyEnd = new CompletableFuture<>();
        engine.attach(accept(16 * 1024), new RingFeed(ring, ring.head(), 0), healthyEnd::complete);
        CompletableFuture<Integer> healthyRead = CompletableFuture.supplyAsync(() -> {
            try {
                return healthyPlayer.getInputStream().readNBytes(200 * 16 * 1024).length;
            } catch (IOException e) {
                return -1;
            }
        });

        byte[] chunk = chunk(7, 16 * 1024);
        for (int i = 0; i < 200; i++) { // 3.2 MB: far more than the stalled player's buffers hold
            ring.publish(chunk, 0, chunk.length);
            Thread.sleep(1);
        }

        assertEquals(200 * 16 * 1024, healthyRead.get(20, TimeUnit.SECONDS), "the healthy one got everything");
        assertEquals(FanOutEngine.Ending.STALLED, stalledEnd.get(20, TimeUnit.SECONDS));
        assertTrue(!healthyEnd.isDone(), "the healthy one is still there");
    }

    @Test
    void aListenerWhoLeavesIsNoticedAtTheNextWrite() throws Exception {
        StreamRing ring = new StreamRing(64);
        Socket player = player(0);
        CompletableFuture<FanOutEngine.Ending> ended = new CompletableFuture<>();
        engine.attach(accept(0), new RingFeed(ring, ring.head(), 0), ended::complete);
        player.close();
        byte[] chunk = chunk(1, 8192);
        for (int i = 0; i < 50 && !ended.isDone(); i++) {
            ring.publish(chunk, 0, chunk.length);
            Thread.sleep(20);
        }
        assertEquals(FanOutEngine.Ending.GONE, ended.get(5, TimeUnit.SECONDS));
    }

    @Test
    void closeFromAnotherThreadAndShutdownEndEveryListenerOnce() throws Exception {
        StreamRing ring = new StreamRing(64);
        player(0);
        player(0);
        List<FanOutEngine.Ending> endings = java.util.Collections.synchronizedList(new ArrayList<>());
        FanOutEngine.Attached kicked = engine.attach(accept(0), new RingFeed(ring, ring.head(), 0), endings::add);
        engine.attach(accept(0), new RingFeed(ring, ring.head(), 0), endings::add);

        kicked.close();
        kicked.close();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (endings.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(List.of(FanOutEngine.Ending.CLOSED), endings, "kicked once");
        assertEquals(1, engine.listeners());

        engine.close();
        assertEquals(List.of(FanOutEngine.Ending.CLOSED, FanOutEngine.Ending.CLOSED), endings, "shutdown ends the other");
        assertEquals(0, engine.listeners());
    }

    @Test
    void aDetachedListenerComesBackWithItsUnsentBytesAndGoesOnInAnotherEngineWithoutALostOrRepeatedByte()
            throws Exception {
        StreamRing ring = new StreamRing(256);
        Socket player = player(4096); // reads nothing yet: the send buffer fills, bytes wait in the engine
        RingFeed feed = new RingFeed(ring, ring.head(), 0);
        AtomicBoolean ended = new AtomicBoolean();
        engine.attach(accept(8 * 1024), feed, ending -> ended.set(true));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] chunk = chunk(i, 4000);
            expected.write(chunk);
            ring.publish(chunk, 0, chunk.length);
        }
        Thread.sleep(200);

        List<FanOutEngine.Detached> detached = engine.detach(candidate -> candidate == feed);
        assertEquals(1, detached.size());
        assertEquals(0, engine.listeners());
        assertTrue(detached.getFirst().unsent().length > 0, "the socket did not take everything");
        for (int i = 40; i < 50; i++) { // published while it moves: the feed's cursor holds its place
            byte[] chunk = chunk(i, 4000);
            expected.write(chunk);
            ring.publish(chunk, 0, chunk.length);
        }
        try (FanOutEngine other = newEngine(1)) {
            other.attach(detached.getFirst().channel(), detached.getFirst().feed(), ending -> { },
                    detached.getFirst().unsent());
            byte[] got = player.getInputStream().readNBytes(expected.size());
            assertArrayEquals(expected.toByteArray(), got);
        }
        assertTrue(!ended.get(), "the first engine never ended it");
    }

    /** A player connected to the test's server; {@code receiveBuffer} 0 leaves the default. */
    private Socket player(int receiveBuffer) throws IOException {
        Socket player = new Socket();
        if (receiveBuffer > 0) {
            player.setReceiveBufferSize(receiveBuffer);
        }
        player.setSoTimeout(20_000);
        player.connect(server.getLocalAddress());
        players.add(player);
        return player;
    }

    private SocketChannel accept(int sendBuffer) throws IOException {
        SocketChannel channel = server.accept();
        if (sendBuffer > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
        }
        return channel;
    }

    private static byte[] chunk(int index, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (index * 31 + i);
        }
        return bytes;
    }

    /** The smallest feed: a cursor, maybe ICY metadata; the application's adds moves, laps and counts. */
    private static final class RingFeed implements ListenerFeed {
        private final RingCursor cursor;
        private final IcyInterleaver icy;

        RingFeed(StreamRing ring, long start, int metaint) {
            this.cursor = new RingCursor(ring, start);
            this.icy = metaint > 0 ? new IcyInterleaver(metaint) : null;
        }

        @Override
        public Step sendNext(ListenerOutput out) {
            Chunk chunk = cursor.next();
            if (chunk == null) {
                return cursor.streamEnded() ? Step.ENDED : Step.CAUGHT_UP;
            }
            if (icy != null) {
                icy.interleave(chunk.bytes(), 0, chunk.length(), chunk.title(), out::write);
            } else {
                out.write(chunk.bytes(), 0, chunk.length());
            }
            return Step.SENT;
        }

        @Override
        public boolean wakeWhenReady(Runnable wake) {
            return cursor.wakeWhenReadable(wake);
        }

        @Override
        public int metaint() {
            return icy == null ? 0 : icy.metaint();
        }

        @Override
        public void stalled() {
        }
    }
}
