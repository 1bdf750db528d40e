package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-downtime update ({@code --take-over}): a second process takes the port over from the first
 * through the Unix socket in the data directory, and the port never refuses or resets a connection.
 */
class TakeOverTest {

    @TempDir
    Path dir;

    @Test
    void aConnectStormDuringTheTakeOverMeetsNoRefusedOrResetConnection() throws Exception {
        try (ServerProcess old = ServerProcess.start(dir)) {
            int port = old.port();
            Path channel = awaitChannel(dir);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(channel)),
                    "only the server's owner may take it over");
            Storm storm = Storm.start(port, 8);
            try (ServerProcess replacement = ServerProcess.start(dir, "--take-over")) {
                assertEquals(port, replacement.port(), "the new process reports the old one's port");
                assertEquals(0, old.awaitExit(30), "the old process exits by itself: " + old.output());
                int answeredBefore = storm.answered.get();
                Eventually.await(java.time.Duration.ofSeconds(20), "the storm goes on after the old exit",
                        () -> storm.answered.get() > answeredBefore + 50);
                storm.stop();
                assertTrue(storm.failures.isEmpty(), "refused or reset connects: " + storm.failures);
                assertTrue(storm.answered.get() > 100, "connects answered: " + storm.answered.get());
                assertTrue(Files.exists(channel), "the new process answers take-overs in turn");
                assertTrue(status(port).contains("\"icestats\""), "the new process serves the port");
            } finally {
                storm.stop();
            }
        }
    }

    @Test
    void theHttpsPortIsHandedOverTooAndAStormOfHandshakesMeetsNoRefusedOrResetConnection() throws Exception {
        TestCertificates ca = TestCertificates.forServerIn(dir, "ec");
        Files.writeString(dir.resolve("tinyice.json"), "{" + TestCertificates.TLS_ON_ANY_PORT + "}");
        try (ServerProcess old = ServerProcess.start(dir)) {
            String listening = old.awaitLine(0, "HTTPS on ");
            int httpsPort = Integer.parseInt(listening.replaceAll(".*HTTPS on (\\d+).*", "$1"));
            awaitChannel(dir);
            javax.net.ssl.SSLSocketFactory tls = ca.clientContext().getSocketFactory();
            Storm storm = Storm.start(() -> secureStatus(tls, httpsPort), 6);
            try (ServerProcess replacement = ServerProcess.start(dir, "--take-over")) {
                assertTrue(replacement.awaitLine(0, "TinyIce listening on").contains("HTTPS on " + httpsPort),
                        "the new process serves the same HTTPS port: " + replacement.output());
                assertEquals(0, old.awaitExit(30), "the old process exits by itself: " + old.output());
                int answeredBefore = storm.answered.get();
                Eventually.await(java.time.Duration.ofSeconds(20), "HTTPS is served after the old exit",
                        () -> storm.answered.get() > answeredBefore + 30);
                storm.stop();
                assertTrue(storm.failures.isEmpty(), "refused, reset or failed handshakes: " + storm.failures);
                assertTrue(secureStatus(tls, httpsPort).contains("\"icestats\""), "the new process answers over HTTPS");
            } finally {
                storm.stop();
            }
        }
    }

    @Test
    void aShoutcastPortHeldByAnotherProcessIsOpenedByTheNewOneOnceItIsFree() throws Exception {
        // an older TinyIce bound its SHOUTcast port without SO_REUSEPORT and keeps it until it exits: a
        // plain socket stands in for it, so that neither TinyIce here can open the port at first
        java.net.ServerSocket older = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        int shoutcastPort = older.getLocalPort();
        Files.writeString(dir.resolve("tinyice.json"), """
                {"shoutcast": {"port": %d, "mount": "/sc"}}
                """.formatted(shoutcastPort));
        try (ServerProcess old = ServerProcess.start(dir)) {
            awaitChannel(dir);
            try (ServerProcess replacement = ServerProcess.start(dir, "--take-over")) {
                replacement.awaitLine(0, "take-over: accepting on port");
                assertTrue(replacement.awaitLine(0, "SHOUTcast port " + shoutcastPort).contains("could not be opened"),
                        replacement.output().toString());
                older.close();
                replacement.awaitLine(0, "SHOUTcast v1 sources for /sc on");
                try (ShoutcastEncoder encoder = new ShoutcastEncoder(shoutcastPort)) {
                    assertTrue(encoder.login(TestServer.SOURCE_PASSWORD).startsWith("OK2"), "the new process serves it");
                }
            }
        } finally {
            older.close();
        }
    }

    private static String secureStatus(javax.net.ssl.SSLSocketFactory tls, int port) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            plain.setSoTimeout(10_000);
            try (Socket socket = tls.createSocket(plain, "localhost", port, true)) {
                OutputStream out = socket.getOutputStream();
                out.write("GET /status-json.xsl HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void aSecondTakeOverWhileOneIsUnderWayIsRefusedAndAnAbandonedOneChangesNothing() throws Exception {
        try (ServerProcess old = ServerProcess.start(dir)) {
            Path channel = awaitChannel(dir);
            // a take-over under way: asked, the listening socket received, the streams not yet asked for
            try (SocketChannel first = SocketChannel.open(UnixDomainSocketAddress.of(channel))) {
                sendMessage(first, "take-over 1");
                assertTrue(receiveMessage(first).startsWith("listening " + old.port()));
                ServerProcess.Exited second = ServerProcess.run(dir, "--take-over");
                assertEquals(1, second.status());
                assertTrue(second.output().contains("refused: another take-over of this server is under way"),
                        second.output());
            }
            // the first one died before the streams moved: the old process goes on, and can be taken over
            Eventually.await(java.time.Duration.ofSeconds(10), "the old process says so",
                    () -> old.output().contains("take-over abandoned"));
            assertTrue(status(old.port()).contains("\"icestats\""), "the old process still serves");
            try (ServerProcess replacement = ServerProcess.start(dir, "--take-over")) {
                assertEquals(0, old.awaitExit(30));
                assertTrue(status(replacement.port()).contains("\"icestats\""));
            }
        }
    }

    static void sendMessage(SocketChannel channel, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A message's text; descriptors that came with it are dropped by the kernel (no control buffer). */
    static String receiveMessage(SocketChannel channel) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(4);
        while (length.hasRemaining()) {
            if (channel.read(length) < 0) {
                throw new IOException("closed");
            }
        }
        ByteBuffer text = ByteBuffer.allocate(length.flip().getInt());
        while (text.hasRemaining()) {
            if (channel.read(text) < 0) {
                throw new IOException("closed");
            }
        }
        return new String(text.array(), StandardCharsets.UTF_8);
    }

    @Test
    void aTakeOverWithNothingRunningSaysSoAndExits() throws Exception {
        ServerProcess.Exited exited = ServerProcess.run(dir, "--take-over");
        assertEquals(1, exited.status());
        assertTrue(exited.output().contains("--take-over: no running TinyIce answers on"), exited.output());
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        try (ServerProcess old = ServerProcess.start(dir)) {
            awaitChannel(dir);
            ServerProcess.Exited second = ServerProcess.run(dir);
            assertEquals(1, second.status());
            assertTrue(second.output().contains("another TinyIce serves the data directory"), second.output());
            assertTrue(status(old.port()).contains("\"icestats\""), "the first one still serves");
        }
    }

    @Test
    void aServerOnAPortAnotherProcessListensOnIsRefusedUnlessItIsToShareIt() throws Exception {
        try (ServerProcess first = ServerProcess.start(dir)) {
            // another data directory: the take-over channel does not see it, only the port does
            Path other = Files.createDirectories(dir.resolve("other"));
            String port = Integer.toString(first.port());
            ServerProcess.Exited refused = ServerProcess.run(other, "--port", port);
            assertEquals(1, refused.status(), refused.output());
            assertTrue(refused.output().contains("port " + port + " on 127.0.0.1 is in use by another process"),
                    refused.output());
            try (ServerProcess edge = ServerProcess.start(other, "--port", port, "--share-port")) {
                assertEquals(first.port(), edge.port(), "a cluster edge shares the port");
            }
        }
    }

    @Test
    void aServerKilledLeavesNoChannelThatStopsTheNextStart() throws Exception {
        ServerProcess killed = ServerProcess.start(dir);
        awaitChannel(dir);
        killed.kill();
        assertTrue(Files.exists(dir.resolve("tinyice.takeover")), "SIGKILL leaves the socket file");
        try (ServerProcess next = ServerProcess.start(dir)) {
            assertTrue(status(next.port()).contains("\"icestats\""));
        }
    }

    /** The take-over socket, once the server has opened it (just after it printed its port). */
    static Path awaitChannel(Path dir) throws Exception {
        Path channel = dir.resolve("tinyice.takeover");
        Eventually.await(java.time.Duration.ofSeconds(20), "the take-over channel", () -> Files.exists(channel));
        return channel;
    }

    private static String status(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /status-json.xsl HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Clients that each connect, ask for the status and read the answer, over and over. */
    private static final class Storm {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger answered = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        static Storm start(int port, int clients) {
            return start(() -> status(port), clients);
        }

        /** {@code ask} connects, asks for the status and gives back the whole answer. */
        static Storm start(Ask ask, int clients) {
            Storm storm = new Storm();
            for (int i = 0; i < clients; i++) {
                storm.threads.add(Thread.ofPlatform().daemon(true).start(() -> {
                    while (storm.running.get()) {
                        try {
                            String answer = ask.answer();
                            if (answer.startsWith("HTTP/1.") && answer.contains(" 200 ")) {
                                storm.answered.incrementAndGet();
                            } else {
                                storm.failures.add("answer: " + answer.lines().findFirst().orElse("(nothing)"));
                            }
                        } catch (IOException e) {
                            storm.failures.add(e.toString());
                        }
                    }
                }));
            }
            return storm;
        }

        interface Ask {
            String answer() throws IOException;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            }
            assertFalse(threads.stream().anyMatch(Thread::isAlive), "storm clients stopped");
        }
    }
}
