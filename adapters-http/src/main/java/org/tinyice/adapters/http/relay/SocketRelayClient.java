package org.tinyice.adapters.http.relay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.domain.stream.StreamFormat;

/**
 * The relay's client over a plain {@link Socket}, not the JDK's HTTP client: upstreams answer
 * SHOUTcast's {@code ICY 200 OK} as often as {@code HTTP/1.0 200 OK}, stream without a length until
 * they close, and Icecast's relay speaks HTTP/1.0; the JDK client accepts none of that. The answer's
 * head is read strictly (a status line, then {@code name: value} lines) and at most
 * {@value #MAX_HEAD_BYTES} bytes of it, so a server that sends garbage or never ends its head is
 * refused instead of filling memory.
 */
public final class SocketRelayClient implements RelayClient {

    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final String USER_AGENT = "TinyIce/0.1 relay (Icecast 2.4.4 compatible)";
    /** Larger intervals exist in no server we know of; a huge one would only hide a broken header. */
    private static final int MAX_METAINT = 1 << 20;

    @Override
    public Opening open(RelayRequest request) {
        URI url = request.url();
        for (int redirects = 0; ; redirects++) {
            // NO_PROXY: the platform socket itself, not the SOCKS wrapper the JDK puts around a plain new Socket(),
            // so that a take-over can find its descriptor (SocketDescriptors); no relay goes through a proxy
            Socket socket = new Socket(java.net.Proxy.NO_PROXY);
            boolean handedOver = false;
            try {
                int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, request.idleTimeout().toMillis()));
                int port = url.getPort() < 0 ? 80 : url.getPort();
                socket.connect(new InetSocketAddress(url.getHost(), port), timeout);
                socket.setSoTimeout(timeout);
                sendRequest(socket.getOutputStream(), url, request);
                HeadBuffer in = new HeadBuffer(socket.getInputStream());
                Head head;
                try {
                    head = Head.read(in, request.idleTimeout());
                } catch (BadHead e) {
                    return failed(new Failure.BadResponse(e.getMessage()));
                }
                if (head.status >= 300 && head.status < 400 && head.headers.containsKey("location")) {
                    URI next;
                    try {
                        next = url.resolve(new URI(head.headers.get("location").trim()));
                    } catch (URISyntaxException e) {
                        return failed(new Failure.BadResponse("a redirect to an invalid URL"));
                    }
                    if (!"http".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
                        return failed(new Failure.BadResponse("a redirect to " + next + " (only http:// is followed)"));
                    }
                    if (redirects == MAX_REDIRECTS) {
                        return failed(new Failure.TooManyRedirects(next));
                    }
                    url = next;
                    continue;
                }
                if (head.status != 200) {
                    return failed(new Failure.HttpStatus(head.status, head.reason));
                }
                String contentType = head.headers.getOrDefault("content-type", "");
                if (contentType.isEmpty() && head.icy) {
                    contentType = "audio/mpeg"; // SHOUTcast v1 servers often leave it out: they only ever sent MP3
                }
                if (!StreamFormat.isStreamable(contentType)) {
                    return failed(new Failure.NotAudio(contentType));
                }
                int metaint = 0;
                String declared = head.headers.get("icy-metaint");
                if (declared != null) {
                    try {
                        metaint = Integer.parseInt(declared.trim());
                    } catch (NumberFormatException e) {
                        metaint = -1;
                    }
                    if (metaint <= 0 || metaint > MAX_METAINT) {
                        return failed(new Failure.BadResponse("icy-metaint \"" + declared + "\""));
                    }
                }
                handedOver = true;
                return new Opening.Opened(new SocketUpstream(socket, in.unread(), contentType, head.headers, metaint,
                        socket.getInetAddress().getHostAddress()));
            } catch (IOException e) {
                return failed(new Failure.Unreachable(url.getHost() + ":" + (url.getPort() < 0 ? 80 : url.getPort())
                        + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            } finally {
                if (!handedOver) {
                    closeQuietly(socket);
                }
            }
        }
    }

    private static Opening failed(Failure failure) {
        return new Opening.Failed(failure);
    }

    private static void sendRequest(OutputStream out, URI url, RelayRequest request) throws IOException {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        StringBuilder head = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.0\r\n")
                .append("Host: ").append(url.getHost()).append(url.getPort() < 0 ? "" : ":" + url.getPort()).append("\r\n")
                .append("User-Agent: ").append(USER_AGENT).append("\r\n")
                .append("Accept: */*\r\n");
        if (request.metadata()) {
            head.append("Icy-MetaData: 1\r\n");
        }
        if (request.username().isPresent() && request.password().isPresent()) {
            String pair = request.username().get() + ":" + request.password().get();
            head.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

    /** Not an HTTP or ICY answer head. */
    static final class BadHead extends Exception {
        BadHead(String message) {
            super(message, null, false, false);
        }
    }

    /** The status line and headers of an answer (names lower-cased; a repeated header keeps its first value). */
    record Head(int status, String reason, boolean icy, Map<String, String> headers) {

        /**
         * @param limit how long the whole head may take: each read is bounded by the socket's timeout, but
         *              a server that trickles its head a byte at a time would pass that for hours
         */
        static Head read(InputStream in, java.time.Duration limit) throws IOException, BadHead {
            long deadline = System.nanoTime() + limit.toNanos();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int total = 0;
            Head head = null;
            Map<String, String> headers = new LinkedHashMap<>();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new BadHead(head == null && total == 0 ? "the connection closed without an answer"
                            : "the connection closed inside the answer's head");
                }
                if (++total > MAX_HEAD_BYTES) {
                    throw new BadHead("an answer head longer than " + MAX_HEAD_BYTES + " bytes");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new BadHead("the answer's head took longer than " + limit.toSeconds()
                            + " s (limits.source_timeout)");
                }
                if (b != '\n') {
                    if (b != '\r') {
                        if (b < 0x20 && b != '\t' || b == 0x7F) {
                            throw new BadHead("control characters in the answer's head");
                        }
                        line.write(b);
                    }
                    continue;
                }
                String text = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                if (head == null) {
                    head = statusLine(text);
                } else if (text.isEmpty()) {
                    return new Head(head.status, head.reason, head.icy, headers);
                } else {
                    int colon = text.indexOf(':');
                    if (colon <= 0) {
                        throw new BadHead("a header line without a name");
                    }
                    headers.putIfAbsent(text.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            text.substring(colon + 1).trim());
                }
            }
        }

        private static Head statusLine(String text) throws BadHead {
            String[] parts = text.split(" ", 3);
            boolean icy = parts[0].equals("ICY");
            if (parts.length < 2 || !(icy || parts[0].matches("HTTP/1\\.[01]")) || !parts[1].matches("[1-5][0-9][0-9]")) {
                throw new BadHead("the status line is neither HTTP/1.x nor ICY");
            }
            return new Head(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2].trim() : "", icy, Map.of());
        }
    }

    /** The answer's head is read byte by byte through this; what it read past the head is the stream's start. */
    private static final class HeadBuffer extends BufferedInputStream {
        HeadBuffer(InputStream in) {
            super(in, 16 * 1024);
        }

        byte[] unread() {
            return java.util.Arrays.copyOfRange(buf, pos, count);
        }
    }

    /**
     * An upstream connection taken over from another TinyIce (a take-over), or taken back after a failed one:
     * {@code connection} is where the old reader stopped, {@code unread} what it had read and not given out.
     *
     * @param idleTimeout how long a read may wait ({@code limits.source_timeout}), as for one opened here
     */
    public static Upstream continued(SocketChannel connection, byte[] unread, String contentType,
                                     Map<String, String> headers, int metaint, String remoteAddress,
                                     java.time.Duration idleTimeout) throws IOException {
        connection.configureBlocking(true);
        Socket socket = connection.socket();
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, idleTimeout.toMillis())));
        return new SocketUpstream(socket, unread, contentType, headers, metaint, remoteAddress);
    }

    /** What a take-over sends of an upstream stopped for it ({@link Upstream#stopForHandOver}). */
    public interface HandedUpstream extends Upstream {
        /** A channel on a duplicate of the connection's descriptor ({@code SO_LINGER} 0: closing it ends nothing); the caller owns it. */
        SocketChannel connection() throws IOException;

        /** What was read from the connection and not given out (the end of the answer's head's read). */
        byte[] unread();
    }

    private static final class SocketUpstream implements HandedUpstream {
        private final Socket socket;
        private final InputStream input;
        private final String contentType;
        private final Map<String, String> headers;
        private final int metaint;
        private final String remoteAddress;
        /** Read and not given out yet: bytes that came with the head, given out before the socket's next. */
        private byte[] unread;
        private int unreadAt;
        /** Set by {@link #stopForHandOver}: the connection, kept for another process; guarded by this. */
        private SocketChannel kept;

        SocketUpstream(Socket socket, byte[] unread, String contentType, Map<String, String> headers, int metaint,
                       String remoteAddress) throws IOException {
            this.socket = socket;
            this.input = socket.getInputStream();
            this.unread = unread;
            this.contentType = contentType;
            this.headers = Map.copyOf(headers);
            this.metaint = metaint;
            this.remoteAddress = remoteAddress;
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public int metaint() {
            return metaint;
        }

        @Override
        public String remoteAddress() {
            return remoteAddress;
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            if (unreadAt < unread.length) {
                int n = Math.min(buffer.length, unread.length - unreadAt);
                System.arraycopy(unread, unreadAt, buffer, 0, n);
                unreadAt += n;
                return n;
            }
            return input.read(buffer);
        }

        @Override
        public synchronized void close() {
            closeQuietly(socket);
            if (kept != null) {
                try {
                    kept.close(); // never handed over (the take-over did not take this relay)
                } catch (IOException ignored) {
                    // closing anyway
                }
                kept = null;
            }
        }

        /**
         * A duplicate descriptor keeps the connection; closing the socket then ends the read under way. With
         * {@code SO_LINGER} 0 set first, that close sends nothing: the JDK's {@code Socket.close} would
         * otherwise shut the connection's output down for every descriptor ({@link SocketDescriptors#duplicate}).
         */
        @Override
        public synchronized void stopForHandOver() throws IOException {
            if (kept != null) {
                return;
            }
            SocketChannel channel = socket.getChannel();
            if (channel == null) {
                kept = SocketDescriptors.duplicate(socket); // a connection opened here
            } else {
                channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0); // one continued from another process
                kept = SocketDescriptors.adopt(SocketDescriptors.duplicate(SocketDescriptors.descriptorOf(channel)));
            }
            closeQuietly(socket);
        }

        @Override
        public synchronized SocketChannel connection() throws IOException {
            if (kept == null) {
                throw new IOException("the upstream was not stopped for a hand-over");
            }
            SocketChannel connection = kept;
            kept = null;
            return connection;
        }

        @Override
        public byte[] unread() {
            return java.util.Arrays.copyOfRange(unread, unreadAt, unread.length);
        }
    }
}
