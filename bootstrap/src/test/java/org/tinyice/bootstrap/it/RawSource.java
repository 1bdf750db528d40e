package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A source that streams one repeated byte value at about 128 kbit/s, so a listener can tell from the
 * bytes alone which mount it is hearing (moves and fallbacks).
 */
public final class RawSource implements AutoCloseable {

    private final RawClient connection;
    private final Thread pump;
    private volatile boolean running = true;

    public RawSource(TestServer server, String mount, byte fill) throws IOException {
        this(server, mount, fill, TestServer.SOURCE_PASSWORD);
    }

    /** A source that logs in with {@code password} (a mount's own source password). */
    public RawSource(TestServer server, String mount, byte fill, String password) throws IOException {
        this(server.port(), mount, fill, password);
    }

    /** A source of the server on {@code port} (one in a process of its own). */
    public RawSource(int port, String mount, byte fill, String password) throws IOException {
        this(null, port, mount, fill, password);
    }

    /** A source of {@code server} connecting from another loopback address ({@code 127.0.0.3}, ...). */
    public static RawSource from(String localAddress, TestServer server, String mount, byte fill) throws IOException {
        return new RawSource(localAddress, server.port(), mount, fill, TestServer.SOURCE_PASSWORD);
    }

    private RawSource(String localAddress, int port, String mount, byte fill, String password) throws IOException {
        connection = connect(localAddress, port, mount, password);
        byte[] piece = new byte[1600];
        Arrays.fill(piece, fill);
        pump = Thread.ofVirtual().start(() -> {
            try {
                while (running) {
                    connection.send(piece);
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                running = false;
            }
        });
    }

    /**
     * A source connection of {@code mount} (global source password) that sends nothing until the test
     * writes: for tests that time what they send.
     */
    public static RawClient silent(int port, String mount) throws IOException {
        return connect(null, port, mount, TestServer.SOURCE_PASSWORD);
    }

    /**
     * Connects as the source of {@code mount}. A test that just closed the previous source of the same
     * mount may find it still in use for a moment (the server notices the close on its own thread),
     * so "in use" is retried for a few seconds, as encoders do.
     */
    private static RawClient connect(String localAddress, int port, String mount, String password)
            throws IOException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            RawClient client = localAddress == null ? new RawClient(port) : RawClient.from(localAddress, port);
            client.send("SOURCE " + mount + " HTTP/1.0\r\nAuthorization: Basic " + Base64.getEncoder()
                    .encodeToString(("source:" + password).getBytes(StandardCharsets.UTF_8))
                    + "\r\nContent-Type: audio/mpeg\r\nice-name: Raw " + mount + "\r\nUser-Agent: RawSource/1.0\r\n\r\n");
            String answer = client.readHead();
            if (answer.startsWith("HTTP/1.0 200 OK")) {
                return client;
            }
            client.close();
            if (!answer.startsWith("HTTP/1.0 403") || System.nanoTime() - deadline > 0) {
                throw new IOException("source refused: " + answer);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** False once the server closed the connection (or we did). */
    public boolean isStreaming() {
        return running;
    }

    @Override
    public void close() throws IOException {
        running = false;
        pump.interrupt();
        connection.close();
    }
}
