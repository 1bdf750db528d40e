package org.tinyice.adapters.http.icecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;

/** The source read loop's ends: the stream's end, a chunked body's last chunk, a broken chunked body. */
class SourceReaderTest {

    /** What a mount received, and how often the loop said it read. */
    private static final class Received implements SourceSession {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int reads;

        @Override
        public String mountPath() {
            return "/live";
        }

        @Override
        public void receive(byte[] data, int offset, int length) {
            bytes.write(data, offset, length);
        }

        @Override
        public void flushIfDue() {
        }

        @Override
        public void finish() {
        }

        @Override
        public void handOver() {
        }

        String text() {
            return bytes.toString(StandardCharsets.US_ASCII);
        }
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aPlainBodyIsReadToTheEndOfTheStream() throws IOException {
        Received mount = new Received();
        SourceReader.read(stream("audio bytes"), null, mount, () -> mount.reads++);
        assertEquals("audio bytes", mount.text());
        assertEquals(1, mount.reads);
    }

    @Test
    void aChunkedBodyEndsAtItsLastChunkWhateverFollows() throws IOException {
        Received mount = new Received();
        SourceReader.read(stream("5\r\naudio\r\n0\r\n\r\nnot audio"), new ChunkedBody(), mount, () -> { });
        assertEquals("audio", mount.text());
    }

    @Test
    void aBrokenChunkSizeLineEndsTheSourceAfterTheAudioBeforeIt() throws IOException {
        Received mount = new Received();
        // returns, as at the stream's end (and logs why), rather than throwing at the caller
        SourceReader.read(stream("5\r\naudio\r\nzz\r\nmore"), new ChunkedBody(), mount, () -> { });
        assertEquals("audio", mount.text());
    }
}
