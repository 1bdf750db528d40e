package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client side of SHOUTcast v1, written from Icecast 2.4.4's capture of liquidsoap's
 * {@code protocol="icy"} (icecast-behavior.md 2.4): a password line, Icecast's {@code OK2} answer,
 * {@code icy-*} header lines and an empty line, then MP3 audio. ffmpeg cannot speak it.
 */
final class ShoutcastEncoder implements AutoCloseable {

    private final RawClient socket;
    private volatile Thread feeder;

    ShoutcastEncoder(int port) throws IOException {
        socket = new RawClient(port);
    }

    /** Sends the password line and returns what the server answered (up to the empty line, or to EOF). */
    String login(String password) throws IOException {
        return socket.send(password + "\r\n").readHead();
    }

    ShoutcastEncoder headers(String... lines) throws IOException {
        socket.send(String.join("\r\n", lines) + "\r\n\r\n");
        return this;
    }

    /**
     * Streams {@code mp3} over and over at about 128 kbit/s on a thread of its own, until closed: its last
     * byte is followed by its first, so a file of whole frames makes one unbroken chain of frames.
     */
    ShoutcastEncoder stream(Path mp3) throws IOException {
        byte[] audio = Files.readAllBytes(mp3);
        feeder = Thread.ofVirtual().start(() -> {
            try {
                byte[] piece = new byte[4000];
                for (long sent = 0; !Thread.currentThread().isInterrupted(); sent += piece.length) {
                    for (int i = 0; i < piece.length; i++) {
                        piece[i] = audio[(int) ((sent + i) % audio.length)];
                    }
                    socket.send(piece);
                    Thread.sleep(250);
                }
            } catch (IOException | InterruptedException ended) {
                // closed by the test or by the server
            }
        });
        return this;
    }

    /** Whether it still streams: a write fails once the server has closed the connection. */
    boolean streaming() {
        Thread running = feeder;
        return running != null && running.isAlive();
    }

    RawClient socket() {
        return socket;
    }

    /** What the server sent after the headers (an error answer), until it closed. */
    String rest() throws IOException {
        return new String(socket.readToEnd(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        Thread running = feeder;
        if (running != null) {
            running.interrupt();
        }
        socket.close();
    }
}
