package org.tinyice.application.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.tinyice.domain.stream.Mp3Frames;

/** A file's audio, read in stretches that know how long they play. One turn through one file. */
sealed interface FileAudio permits FileAudio.Mp3, FileAudio.ConstantRate {

    /**
     * Appends the next stretch of audio to {@code out}: at least {@code minNanos} long unless the file
     * ends first.
     *
     * @return how long the stretch plays; 0 at the end of the file
     */
    long read(ByteArrayOutputStream out, long minNanos) throws IOException;

    /**
     * Where in the file the next stretch starts (bytes from its start): after whole MP3 frames, so a
     * player started there ({@link #of(String, InputStream, int, long)}) goes on with the next frame.
     */
    long position();

    /** MP3 is paced by its frames; other formats by {@code fallbackKbps}. */
    static FileAudio of(String contentType, InputStream in, int fallbackKbps) {
        return "audio/mpeg".equals(contentType) ? new Mp3(in) : new ConstantRate(in, fallbackKbps);
    }

    /**
     * As {@link #of(String, InputStream, int)}, from {@code position} on (a take-over's player goes on
     * where the old process's stopped); from the start if the file is shorter now.
     */
    static FileAudio of(String contentType, InputStream in, int fallbackKbps, long position) throws IOException {
        long skipped = 0;
        while (skipped < position) {
            long n = in.skip(position - skipped);
            if (n <= 0) {
                break; // the file is shorter: the next read finds its end, and the loop starts it again
            }
            skipped += n;
        }
        return "audio/mpeg".equals(contentType) ? new Mp3(in, skipped) : new ConstantRate(in, fallbackKbps, skipped);
    }

    /**
     * MP3: whole Layer III frames only, each counted at its own duration. An ID3v2 tag at the start is
     * skipped, as is the encoder's Xing/Info frame (no gap at each turn of the loop), and anything
     * between frames (an ID3v1 tag at the end, damage): after such bytes a frame is only believed
     * when the next one follows it.
     */
    final class Mp3 implements FileAudio {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;
        private boolean endOfFile;
        private boolean tagSkipped;
        private boolean atFileStart = true;
        private boolean inSync;
        /** Bytes of the file before {@code buffer[end]}. */
        private long consumed;

        Mp3(InputStream in) {
            this.in = in;
        }

        /** From {@code position} on: past any tag and the Info frame; a frame there is still checked by the next. */
        Mp3(InputStream in, long position) {
            this.in = in;
            this.consumed = position;
            if (position > 0) {
                tagSkipped = true;
                atFileStart = false;
            }
        }

        @Override
        public long position() {
            return consumed - (end - start);
        }

        @Override
        public long read(ByteArrayOutputStream out, long minNanos) throws IOException {
            if (!tagSkipped) {
                tagSkipped = true;
                skipId3v2();
            }
            long nanos = 0;
            while (nanos < minNanos && ensure(Mp3Frames.HEADER_LENGTH)) {
                Optional<Mp3Frames.Frame> header = Mp3Frames.header(buffer, start);
                if (header.isEmpty()) {
                    start++;
                    inSync = false;
                    continue;
                }
                Mp3Frames.Frame frame = header.get();
                int length = frame.length();
                boolean whole = ensure(length + (inSync ? 0 : Mp3Frames.HEADER_LENGTH)) || end - start >= length;
                if (!whole) {
                    start = end; // a frame cut short by the end of the file
                    break;
                }
                if (!inSync && end - start >= length + Mp3Frames.HEADER_LENGTH
                        && Mp3Frames.header(buffer, start + length).isEmpty()) {
                    start++; // a chance 0xFFE in other bytes: no frame follows it
                    continue;
                }
                boolean info = atFileStart && Mp3Frames.isInfoFrame(buffer, start, frame);
                atFileStart = false;
                inSync = true;
                if (!info) {
                    out.write(buffer, start, length);
                    nanos += frame.durationNanos();
                }
                start += length;
            }
            return nanos;
        }

        private void skipId3v2() throws IOException {
            if (!ensure(Mp3Frames.ID3V2_HEADER_LENGTH)) {
                return;
            }
            long skip = Mp3Frames.id3v2Length(buffer, start);
            while (skip > 0) {
                int here = (int) Math.min(skip, end - start);
                start += here;
                skip -= here;
                if (skip > 0 && !ensure(1)) {
                    return;
                }
            }
        }

        /** Whether {@code n} bytes from {@code start} are in the buffer, reading more if need be. */
        private boolean ensure(int n) throws IOException {
            if (end - start >= n) {
                return true;
            }
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            while (end < n && !endOfFile) {
                int read = in.read(buffer, end, buffer.length - end);
                if (read < 0) {
                    endOfFile = true;
                } else {
                    end += read;
                    consumed += read;
                }
            }
            return end >= n;
        }
    }

    /** Any other format: its bytes as they are, at a set bitrate. */
    final class ConstantRate implements FileAudio {
        private final InputStream in;
        private final long bitsPerSecond;
        private final byte[] buffer = new byte[16 * 1024];
        private long position;

        ConstantRate(InputStream in, int kbps) {
            this(in, kbps, 0);
        }

        ConstantRate(InputStream in, int kbps, long position) {
            this.in = in;
            this.bitsPerSecond = kbps * 1000L;
            this.position = position;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public long read(ByteArrayOutputStream out, long minNanos) throws IOException {
            long wanted = Math.max(1, (bitsPerSecond * minNanos + 7_999_999_999L) / 8_000_000_000L);
            long bytes = 0;
            while (bytes < wanted) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, wanted - bytes));
                if (read < 0) {
                    break;
                }
                out.write(buffer, 0, read);
                bytes += read;
                position += read;
            }
            return bytes * 8_000_000_000L / bitsPerSecond;
        }
    }
}
