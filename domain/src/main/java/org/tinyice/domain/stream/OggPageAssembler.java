package org.tinyice.domain.stream;

import java.util.function.Supplier;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Gathers an Ogg stream into chunks made of whole pages, so every chunk (and so every listener's
 * first byte) starts at a page boundary, and keeps the codec header pages of the current logical
 * stream for listeners who join late.
 *
 * <p>Header pages are the pages from a beginning-of-stream page up to the first page that carries
 * a real granule position: Vorbis, Opus and FLAC all put granule 0 on header pages (or -1 on a
 * page where no packet ends, as with a large comment header). A new BOS page after audio means a
 * new chained stream (liquidsoap does this at track changes): its headers replace the old ones.
 *
 * <p>Bytes that are not Ogg pages are passed through as they are; the stream is never altered.
 */
public final class OggPageAssembler implements StreamAssembler {

    private static final int HEADER_LENGTH = 27;
    private static final byte[] CAPTURE_PATTERN = {'O', 'g', 'g', 'S'};

    private final StreamRing ring;
    /** Asked at every read: a mount switched to low latency, or a reloaded {@code limits.chunk_ms}, applies at once. */
    private final Supplier<ChunkPolicy> policy;
    private byte[] input = new byte[8192];
    private int inputLength;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long firstByteNanos;
    private ByteArrayOutputStream headerPages;

    public OggPageAssembler(StreamRing ring, ChunkPolicy policy) {
        this(ring, () -> policy);
    }

    public OggPageAssembler(StreamRing ring, Supplier<ChunkPolicy> policy) {
        this.ring = ring;
        this.policy = policy;
    }

    @Override
    public void accept(byte[] data, int offset, int length, long nowNanos) {
        append(data, offset, length);
        int consumed = 0;
        while (true) {
            int pageStart = indexOfCapture(consumed);
            if (pageStart < 0) {
                // keep 3 bytes: they may be the start of a capture pattern split across reads
                int keep = Math.min(3, inputLength - consumed);
                passThrough(consumed, inputLength - consumed - keep, nowNanos);
                consumed = inputLength - keep;
                break;
            }
            if (pageStart > consumed) {
                passThrough(consumed, pageStart - consumed, nowNanos);
                consumed = pageStart;
            }
            int pageLength = pageLength(consumed);
            if (pageLength < 0 || consumed + pageLength > inputLength) {
                break; // the rest of this page has not arrived yet
            }
            page(consumed, pageLength, nowNanos);
            consumed += pageLength;
        }
        System.arraycopy(input, consumed, input, 0, inputLength - consumed);
        inputLength -= consumed;
        if (pending.size() > 0 && nowNanos - firstByteNanos >= policy.get().maxDelayNanos()) {
            flushPending();
        }
    }

    @Override
    public void flushIfDue(long nowNanos) {
        if (pending.size() > 0 && nowNanos - firstByteNanos >= policy.get().maxDelayNanos()) {
            flushPending();
        }
    }

    @Override
    public void flush() {
        if (headerPages != null) {
            publishHeaders();
        }
        flushPending();
    }

    /**
     * Publishes the audio pages gathered; keeps back the header pages still being gathered (published now,
     * late joiners would get an incomplete set) and a page whose rest has not come: given first to the
     * next assembler, the header pages start the header set again from their beginning-of-stream page.
     */
    @Override
    public byte[] release() {
        flushPending();
        ByteArrayOutputStream rest = headerPages != null ? headerPages : new ByteArrayOutputStream();
        headerPages = null;
        rest.write(input, 0, inputLength);
        inputLength = 0;
        return rest.toByteArray();
    }

    private void page(int start, int length, long nowNanos) {
        boolean beginsStream = (input[start + 5] & 0x02) != 0;
        long granule = readLongLittleEndian(start + 6);
        if (beginsStream && headerPages == null) {
            flushPending();
            headerPages = new ByteArrayOutputStream();
        }
        if (headerPages != null) {
            if (granule == 0 || granule == -1) {
                headerPages.write(input, start, length);
                return;
            }
            publishHeaders();
        }
        addToPending(start, length, nowNanos);
        if (pending.size() >= policy.get().targetBytes()) {
            flushPending();
        }
    }

    private void publishHeaders() {
        byte[] pages = headerPages.toByteArray();
        headerPages = null;
        ring.headers(new CodecHeaders(ring.head(), pages));
        ring.publishOwned(pages);
    }

    private void passThrough(int start, int length, long nowNanos) {
        if (length <= 0) {
            return;
        }
        if (headerPages != null) {
            // bytes between header pages stay between them: put in pending they went out after the
            // header pages that followed them (found by OggPageAssemblerFuzzTest)
            headerPages.write(input, start, length);
        } else {
            addToPending(start, length, nowNanos);
        }
    }

    private void addToPending(int start, int length, long nowNanos) {
        if (pending.size() == 0) {
            firstByteNanos = nowNanos;
        }
        pending.write(input, start, length);
    }

    private void flushPending() {
        if (pending.size() > 0) {
            ring.publishOwned(pending.toByteArray());
            pending.reset();
        }
    }

    /** Length of the whole page starting at {@code start}, or -1 if its header is incomplete. */
    private int pageLength(int start) {
        if (inputLength - start < HEADER_LENGTH) {
            return -1;
        }
        int segments = input[start + 26] & 0xFF;
        if (inputLength - start < HEADER_LENGTH + segments) {
            return -1;
        }
        int body = 0;
        for (int i = 0; i < segments; i++) {
            body += input[start + HEADER_LENGTH + i] & 0xFF;
        }
        return HEADER_LENGTH + segments + body;
    }

    private int indexOfCapture(int from) {
        outer:
        for (int i = from; i <= inputLength - CAPTURE_PATTERN.length; i++) {
            for (int j = 0; j < CAPTURE_PATTERN.length; j++) {
                if (input[i + j] != CAPTURE_PATTERN[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private long readLongLittleEndian(int at) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (input[at + i] & 0xFF);
        }
        return value;
    }

    private void append(byte[] data, int offset, int length) {
        if (inputLength + length > input.length) {
            input = Arrays.copyOf(input, Math.max(input.length * 2, inputLength + length));
        }
        System.arraycopy(data, offset, input, inputLength, length);
        inputLength += length;
    }
}
