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
        connection = new RawClient(server.port());
        connection.send("SOURCE " + mount + " HTTP/1.0\r\nAuthorization: Basic " + Base64.getEncoder()
                .encodeToString(("source:" + TestServer.SOURCE_PASSWORD).getBytes(StandardCharsets.UTF_8))
                + "\r\nContent-Type: audio/mpeg\r\nice-name: Raw " + mount + "\r\nUser-Agent: RawSource/1.0\r\n\r\n");
        String answer = connection.readHead();
        if (!answer.startsWith("HTTP/1.0 200 OK")) {
            throw new IOException("source refused: " + answer);
        }
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
