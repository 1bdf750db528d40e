package org.tinyice.adapters.http.takeover;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;

/**
 * The sources whose connections a take-over can move to the new process: encoders that send their stream
 * (MP3, AAC, Ogg) in a {@code PUT} (plain or chunked: the chunked framing's place goes along), a
 * {@code SOURCE} (ffmpeg, libshout) or over SHOUTcast v1 (a {@code "shoutcast"} port's), whether Helidon
 * accepted them here or they were themselves taken over. Relays and file mounts are TinyIce's own sources:
 * they stop for a take-over through {@link org.tinyice.application.port.in.HandOverStreamsUseCase}.
 */
public final class HandableSources {

    private final ConcurrentHashMap<HandableSource, Boolean> sources = new ConcurrentHashMap<>();

    /** From the moment its audio loop runs; remove it when the loop ends. */
    public void add(HandableSource source) {
        sources.put(source, Boolean.TRUE);
    }

    public void remove(HandableSource source) {
        sources.remove(source);
    }

    List<HandableSource> all() {
        return List.copyOf(sources.keySet());
    }

    /** A source connection that can be stopped for a hand-over. */
    public interface HandableSource {

        String mountPath();

        /**
         * Stops reading (what was read is published, the mount stays, {@link SourceSession#handOver}) and
         * returns a channel on a duplicate of the connection's descriptor, with {@code SO_LINGER} 0 so
         * that closing it after sending it away ends nothing.
         */
        Frozen freeze() throws IOException, InterruptedException;
    }

    /**
     * A stopped source: the mount it fed, its connection, and where its body's framing stood (a chunked
     * {@code PUT}'s decoder state, {@link org.tinyice.adapters.http.icecast.ChunkedBody#state}; empty for
     * a body that is the stream itself).
     */
    public record Frozen(String mountPath, SocketChannel connection, byte[] framing) {
    }
}
