package org.tinyice.adapters.http.takeover;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.port.in.HandOverStreamsUseCase.ChunkState;
import org.tinyice.application.port.in.HandOverStreamsUseCase.ListenerState;
import org.tinyice.application.port.in.HandOverStreamsUseCase.MountState;
import org.tinyice.application.port.in.HandOverStreamsUseCase.RelayState;
import org.tinyice.application.port.in.HandOverStreamsUseCase.ServerState;
import org.tinyice.adapters.http.icecast.ListenerEnd;
import org.tinyice.domain.icy.IcyDeinterleaver;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.CodecHeaders;

/**
 * The take-over's messages about streams, as bytes: both processes are TinyIce, of versions close
 * enough to share the conversation's version ({@code take-over 1}), so a plain {@link DataOutputStream}
 * layout, field by field in record order, is all it takes.
 */
final class StreamStates {

    private StreamStates() {
    }

    static byte[] server(ServerState state) throws IOException {
        return write(out -> {
            instant(out, state.started());
            out.writeLong(state.listenerConnections());
            out.writeLong(state.sourceConnections());
        });
    }

    static ServerState server(byte[] bytes) throws IOException {
        DataInputStream in = reader(bytes);
        return new ServerState(instant(in), in.readLong(), in.readLong());
    }

    /** A mount as it goes over, and where its source's body framing stood (empty for none). */
    record MovingMount(MountState state, byte[] framing) {
    }

    static byte[] mount(MountState state, byte[] framing) throws IOException {
        return write(out -> {
            out.writeUTF(state.path());
            SourceInfo source = state.source();
            out.writeUTF(source.contentType());
            headers(out, source.headers());
            out.writeUTF(source.userAgent());
            out.writeUTF(source.remoteAddress());
            instant(out, source.connectedAt());
            out.writeUTF(state.title());
            out.writeBoolean(state.titleSet());
            out.writeInt(state.listenerPeak());
            out.writeLong(state.bytesRead());
            out.writeLong(state.bytesSent());
            out.writeLong(state.head());
            // an Ogg ring's chunks share a few header sets (one per chained stream): each set once, then by number
            List<CodecHeaders> headerSets = new ArrayList<>();
            Map<CodecHeaders, Integer> numbers = new java.util.IdentityHashMap<>();
            for (CodecHeaders headers : allHeaders(state)) {
                if (headers != null && !numbers.containsKey(headers)) {
                    numbers.put(headers, headerSets.size());
                    headerSets.add(headers);
                }
            }
            out.writeInt(headerSets.size());
            for (CodecHeaders headers : headerSets) {
                out.writeLong(headers.firstSequence());
                out.writeInt(headers.pages().length);
                out.write(headers.pages());
            }
            out.writeInt(state.headers() == null ? -1 : numbers.get(state.headers()));
            out.writeInt(state.chunks().size());
            for (ChunkState chunk : state.chunks()) {
                out.writeLong(chunk.sequence());
                out.writeUTF(chunk.title());
                out.writeInt(chunk.headers() == null ? -1 : numbers.get(chunk.headers()));
                out.writeInt(chunk.bytes().length);
                out.write(chunk.bytes());
            }
            out.writeInt(state.unassembled().length);
            out.write(state.unassembled());
            out.writeInt(framing.length);
            out.write(framing);
        });
    }

    private static List<CodecHeaders> allHeaders(MountState state) {
        List<CodecHeaders> all = new ArrayList<>();
        all.add(state.headers());
        state.chunks().forEach(chunk -> all.add(chunk.headers()));
        return all;
    }

    static MovingMount mount(byte[] bytes) throws IOException {
        DataInputStream in = reader(bytes);
        String path = in.readUTF();
        String contentType = in.readUTF();
        Map<String, String> headers = headers(in);
        SourceInfo source = new SourceInfo(contentType, headers, in.readUTF(), in.readUTF(), instant(in));
        String title = in.readUTF();
        boolean titleSet = in.readBoolean();
        int peak = in.readInt();
        long read = in.readLong();
        long sent = in.readLong();
        long head = in.readLong();
        int setCount = in.readInt();
        List<CodecHeaders> headerSets = new ArrayList<>(setCount);
        for (int i = 0; i < setCount; i++) {
            long firstSequence = in.readLong();
            headerSets.add(new CodecHeaders(firstSequence, bytes(in)));
        }
        CodecHeaders current = headerSet(headerSets, in.readInt());
        int count = in.readInt();
        List<ChunkState> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sequence = in.readLong();
            String chunkTitle = in.readUTF();
            CodecHeaders chunkHeaders = headerSet(headerSets, in.readInt());
            chunks.add(new ChunkState(sequence, bytes(in), chunkTitle, chunkHeaders));
        }
        return new MovingMount(new MountState(path, source, title, titleSet, peak, read, sent, head, chunks, current,
                bytes(in)), bytes(in));
    }

    private static CodecHeaders headerSet(List<CodecHeaders> sets, int number) {
        return number < 0 ? null : sets.get(number);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    /** A file mount as it goes over: its mount, and where in its file the mount's next byte is. */
    record MovingFile(MountState mount, long position) {
    }

    static byte[] file(MovingFile moving) throws IOException {
        byte[] mount = mount(moving.mount(), new byte[0]);
        return write(out -> {
            out.writeInt(mount.length);
            out.write(mount);
            out.writeLong(moving.position());
        });
    }

    static MovingFile file(byte[] bytes) throws IOException {
        DataInputStream in = reader(bytes);
        return new MovingFile(mount(bytes(in)).state(), in.readLong());
    }

    /**
     * A relay as it goes over: its mount, its own state, and its upstream's answer and the bytes read from it
     * and not given out yet (its connection travels with the message).
     */
    record MovingRelay(MountState mount, RelayState relay, String contentType, Map<String, String> headers,
                       int metaint, String remoteAddress, byte[] unread) {
    }

    static byte[] relay(MovingRelay moving) throws IOException {
        byte[] mount = mount(moving.mount(), new byte[0]);
        return write(out -> {
            out.writeInt(mount.length);
            out.write(mount);
            RelayConfig config = moving.relay().config();
            out.writeUTF(config.url().toString());
            out.writeUTF(config.mount());
            optional(out, config.username());
            optional(out, config.password());
            out.writeBoolean(config.onDemand());
            out.writeBoolean(config.metadata());
            out.writeLong(config.grace().toMillis());
            out.writeLong(config.idle().toMillis());
            out.writeBoolean(moving.relay().fromMaster());
            IcyDeinterleaver.State icy = moving.relay().icy();
            out.writeBoolean(icy != null);
            if (icy != null) {
                out.writeInt(icy.metaint());
                out.writeInt(icy.untilBlock());
                out.writeInt(icy.blockLength());
                out.writeInt(icy.blockSoFar().length);
                out.write(icy.blockSoFar());
            }
            out.writeLong(moving.relay().bytesReceived());
            optional(out, Optional.ofNullable(moving.relay().lastTitle()));
            out.writeUTF(moving.contentType());
            headers(out, moving.headers());
            out.writeInt(moving.metaint());
            out.writeUTF(moving.remoteAddress());
            out.writeInt(moving.unread().length);
            out.write(moving.unread());
        });
    }

    static MovingRelay relay(byte[] bytes) throws IOException {
        DataInputStream in = reader(bytes);
        MountState mount = mount(bytes(in)).state();
        RelayConfig config;
        try {
            config = new RelayConfig(java.net.URI.create(in.readUTF()), in.readUTF(), optional(in), optional(in),
                    in.readBoolean(), in.readBoolean(), java.time.Duration.ofMillis(in.readLong()),
                    java.time.Duration.ofMillis(in.readLong()));
        } catch (IllegalArgumentException e) {
            throw new IOException("a relay entry this process cannot take: " + e.getMessage(), e);
        }
        boolean fromMaster = in.readBoolean();
        IcyDeinterleaver.State icy = in.readBoolean()
                ? new IcyDeinterleaver.State(in.readInt(), in.readInt(), in.readInt(), bytes(in)) : null;
        RelayState relay = new RelayState(config, fromMaster, icy, in.readLong(), optional(in).orElse(null));
        String contentType = in.readUTF();
        Map<String, String> headers = headers(in);
        return new MovingRelay(mount, relay, contentType, headers, in.readInt(), in.readUTF(), bytes(in));
    }

    private static void headers(DataOutputStream out, Map<String, String> headers) throws IOException {
        out.writeInt(headers.size());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            out.writeUTF(header.getKey());
            out.writeUTF(header.getValue());
        }
    }

    private static Map<String, String> headers(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            headers.put(in.readUTF(), in.readUTF());
        }
        return headers;
    }

    private static void optional(DataOutputStream out, Optional<String> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeUTF(value.get());
        }
    }

    private static Optional<String> optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }

    /** A listener as it goes over: its place in the stream, the bytes its socket had not taken, its request. */
    record MovingListener(ListenerState state, byte[] unsent, ListenerEnd.Request request) {
    }

    /** A batch of listeners; their descriptors travel with the message, in order. */
    static byte[] listeners(List<MovingListener> listeners) throws IOException {
        return write(out -> {
            out.writeInt(listeners.size());
            for (MovingListener moving : listeners) {
                ListenerState s = moving.state();
                out.writeUTF(s.mount());
                out.writeUTF(s.home());
                out.writeUTF(s.remoteAddress());
                out.writeUTF(s.userAgent());
                instant(out, s.connectedAt());
                out.writeLong(s.bytesSent());
                out.writeInt(s.laps());
                out.writeLong(s.position());
                out.writeBoolean(s.first());
                out.writeInt(s.lapsSeen());
                out.writeInt(s.metaint());
                out.writeInt(s.untilBlock());
                out.writeBoolean(s.lastTitle() != null);
                if (s.lastTitle() != null) {
                    out.writeUTF(s.lastTitle());
                }
                out.writeInt(moving.unsent().length);
                out.write(moving.unsent());
                out.writeUTF(moving.request().line());
                out.writeUTF(moving.request().user());
                out.writeUTF(moving.request().referer());
            }
        });
    }

    /** What {@link #listeners(List)} wrote. */
    static List<MovingListener> listeners(byte[] bytes) throws IOException {
        DataInputStream in = reader(bytes);
        int count = in.readInt();
        List<MovingListener> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ListenerState state = new ListenerState(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), instant(in),
                    in.readLong(), in.readInt(), in.readLong(), in.readBoolean(), in.readInt(), in.readInt(),
                    in.readInt(), in.readBoolean() ? in.readUTF() : null);
            byte[] unsent = bytes(in);
            all.add(new MovingListener(state, unsent, new ListenerEnd.Request(in.readUTF(), in.readUTF(), in.readUTF())));
        }
        return all;
    }

    private static void instant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static DataInputStream reader(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.to(out);
        }
        return bytes.toByteArray();
    }
}
