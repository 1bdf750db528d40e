package org.tinyice.adapters.http.icecast;

import java.io.IOException;
import java.io.InputStream;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;

/**
 * The one loop that reads a source's audio: the encoder's connection, through a chunked {@code PUT}'s
 * decoder when it sent one, into the mount's session, until the encoder ends its stream. A source
 * Helidon accepted ({@link SourceHandshake}) and one taken over from another process
 * ({@code takeover.AdoptedSource}) are both read here.
 *
 * <p>It runs on a platform thread of its own ({@link #thread}), blocked in a plain {@code read(2)}, not
 * on Helidon's virtual thread. Encoders write small pieces often (ffmpeg ~38 a second, the bench's
 * source 50), and on a virtual thread every piece cost a poller re-arm, two {@code epoll_wait}s and the
 * wake-ups of a carrier and the JDK's master poller: 2.3 % of a core for one 128 kbit/s source on this
 * kind of machine, more than Icecast's whole process serving 100 listeners (1.0 %). A station has a
 * few sources, so a thread each costs little.
 */
public final class SourceReader {

    private static final System.Logger LOG = System.getLogger(SourceReader.class.getName());
    /** Bytes taken per read; an encoder's pieces are far smaller, a backlog after a stall is not. */
    private static final int BUFFER_BYTES = 16 * 1024;

    private SourceReader() {
    }

    /** The thread a source's audio is read on, named for its mount (it shows in {@code top -H}). */
    public static Thread.Builder thread(String mountPath) {
        return Thread.ofPlatform().name("tinyice-source-" + mountPath).daemon(true);
    }

    /**
     * Reads {@code audio} into {@code session} until the encoder ends its stream: end of stream, a
     * chunked body's last chunk, or a chunk size line that is not a size (the audio before it is
     * published; the operator reads why in the log, as the encoder cannot be answered mid-stream).
     * Every byte read is published before the next read, so a read ended by closing the socket (a
     * take-over's freeze) leaves nothing taken and unpublished.
     *
     * @param body   the chunked body's decoder, or null for a plain body
     * @param onRead runs after every read, before its bytes are published (a watchdog's re-arm)
     * @throws IOException the connection failed, or was closed under the read (kicked, silent too long,
     *                     frozen for a take-over)
     */
    public static void read(InputStream audio, ChunkedBody body, SourceSession session, Runnable onRead)
            throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        while (body == null || !body.ended()) {
            int n = audio.read(buffer);
            if (n < 0) {
                return;
            }
            onRead.run();
            if (body == null) {
                session.receive(buffer, 0, n);
                continue;
            }
            try {
                body.accept(buffer, 0, n, session::receive);
            } catch (NumberFormatException e) {
                LOG.log(System.Logger.Level.WARNING, "the source of {0} was dropped: its chunked body is"
                        + " broken ({1})", session.mountPath(), e.getMessage());
                return;
            }
        }
    }
}
