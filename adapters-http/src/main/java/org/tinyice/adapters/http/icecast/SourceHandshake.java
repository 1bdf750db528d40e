package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.net.InetAddress;
import java.time.Clock;
import org.tinyice.application.port.in.ClientAddressPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tinyice.adapters.http.EchoedText;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.takeover.HandableSources;
import org.tinyice.application.port.in.CheckCredentialsUseCase;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.StartSourceUseCase;
import org.tinyice.application.port.in.StartSourceUseCase.SourceAdmission;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.domain.mount.SourceInfo;

/**
 * An encoder connecting with {@code SOURCE} or {@code PUT}, answered the way Icecast 2.4.4 does:
 *
 * <ol>
 *   <li>No credentials (libshout's first probe, {@code Content-Length: 0}): a real {@code 401} with
 *       {@code WWW-Authenticate}; libshout fails with "Socket error" if the probe is just closed.</li>
 *   <li>Credentials and mount are checked <em>before</em> any {@code 100 Continue}: ffmpeg waits
 *       for an answer before it sends a byte, so the answer must come before we read.</li>
 *   <li>{@code HTTP/1.1 100 Continue} if asked, then {@code HTTP/1.0 200 OK}; then audio until EOF,
 *       de-chunked if the request said {@code Transfer-Encoding: chunked}.</li>
 * </ol>
 * SOURCE clients (libshout, liquidsoap) send audio right behind the head without waiting: those
 * bytes are already in the reader and become the first audio.
 *
 * <p>SHOUTcast v1 encoders ({@link #handleShoutcast}, on a {@code "shoutcast"} port) get Icecast's
 * answers to that protocol, then take the same admission and the same audio path as a {@code SOURCE}.
 * Every refusal is logged with its reason: an encoder's own log often says only "disconnected".
 */
final class SourceHandshake {

    private static final System.Logger LOG = System.getLogger(SourceHandshake.class.getName());

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Icecast 2.4.4's answer to a right SHOUTcast v1 password (a wrong one gets nothing: the socket closes). */
    static final byte[] SHOUTCAST_OK = "OK2\r\nicy-caps:11\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * The longest SHOUTcast password line read; Icecast reads the password and headers into one 4 KiB
     * buffer, so no encoder that works with it sends more.
     */
    static final int MAX_PASSWORD_LINE = 4096;

    private final StartSourceUseCase sources;
    private final CheckCredentialsUseCase credentials;
    private final Clock clock;
    private final ClientAddressPolicy addressPolicy;
    /** The client: the peer, or the address a trusted proxy forwarded for. */
    private final InetAddress client;
    private final String from;
    /** Where a streaming source is listed for a take-over. */
    private final HandableSources handable;

    SourceHandshake(StartSourceUseCase sources, CheckCredentialsUseCase credentials, Clock clock,
                    ClientAddressPolicy addressPolicy, InetAddress client, HandableSources handable) {
        this.sources = sources;
        this.credentials = credentials;
        this.clock = clock;
        this.addressPolicy = addressPolicy;
        this.client = client;
        this.from = client.getHostAddress();
        this.handable = handable;
    }

    /**
     * A SHOUTcast v1 encoder on a {@code "shoutcast"} port, answered as Icecast 2.4.4 answers it: the
     * password line (the mount's source password, else the global one; checked and throttled like
     * every login) gets {@code OK2\r\nicy-caps:11\r\n\r\n}, a wrong one a silent close; then the
     * {@code icy-*} header block is read as a {@code SOURCE} head for {@code mountPath} and admitted
     * like one, except that no {@code 200 OK} follows (Icecast sends none; audio comes right away).
     * The caller's header deadline, armed at accept, covers the password and the header block together.
     */
    void handleShoutcast(String mountPath, ConnectionContext ctx, ConnectionWatchdog.Deadline deadline,
                         long idleTimeoutNanos) {
        DataReader reader = ctx.dataReader();
        String password;
        try {
            password = RequestHeadReader.readLine(reader, MAX_PASSWORD_LINE);
        } catch (RequestHeadReader.BadRequest tooLong) {
            LOG.log(System.Logger.Level.WARNING, "refused a SHOUTcast source for {0} from {1}: no line break within"
                    + " the first {2} bytes (the password line)", mountPath, from, String.valueOf(MAX_PASSWORD_LINE));
            return;
        }
        Optional<Credentials> given = Optional.of(new Credentials("source", password));
        CheckCredentialsUseCase.Verdict verdict = credentials.checkSource(mountPath, given, from);
        if (!verdict.accepted()) {
            // Icecast closes without a word; the reason is only in our log
            LOG.log(System.Logger.Level.WARNING, "refused a SHOUTcast source for {0} from {1}: {2}", mountPath, from,
                    switch (verdict) {
                        case CheckCredentialsUseCase.Verdict.LockedOut l -> l.describe();
                        case CheckCredentialsUseCase.Verdict.Busy b -> "every password check slot was busy";
                        default -> "wrong password";
                    });
            return;
        }
        send(ctx, SHOUTCAST_OK);
        RequestHead head;
        try {
            head = RequestHeadReader.readShoutcastHeaders(reader, mountPath);
        } catch (RequestHeadReader.BadRequest bad) {
            LOG.log(System.Logger.Level.WARNING, "refused a SHOUTcast source for {0} from {1} after OK2: its header"
                    + " block is not icy-* lines ending in an empty line ({2})", mountPath, from, bad.getMessage());
            return;
        }
        deadline.disarm();
        admit(head, mountPath, given, ctx, deadline, idleTimeoutNanos, false);
    }

    /** @return whether the connection may be used for another request */
    boolean handle(RequestHead head, String mountPath, ConnectionContext ctx, ConnectionWatchdog.Deadline deadline,
                   long idleTimeoutNanos) {
        Optional<Credentials> credentials = head.credentials();
        if (credentials.isEmpty()) {
            boolean keepAlive = head.wantsKeepAlive();
            send(ctx, IcecastResponse.unauthorized(keepAlive));
            return keepAlive;
        }
        return admit(head, mountPath, credentials, ctx, deadline, idleTimeoutNanos, true);
    }

    /** @param answerOk whether to answer {@code 200 OK} (SHOUTcast v1 had its {@code OK2} before the headers) */
    private boolean admit(RequestHead head, String mountPath, Optional<Credentials> credentials, ConnectionContext ctx,
                          ConnectionWatchdog.Deadline deadline, long idleTimeoutNanos, boolean answerOk) {
        if (IcecastRequests.isReservedForPages(mountPath)) {
            refused(mountPath, ctx, "the path is reserved for TinyIce's pages");
            // listeners asking for it would get a page or an admin command, never this stream
            send(ctx, IcecastResponse.forbidden("Mountpoint reserved for TinyIce's pages"));
            return false;
        }
        if (!addressPolicy.mayUseMount(client, mountPath)) {
            refused(mountPath, ctx, "the address is not on the mount's allowed_ips");
            send(ctx, IcecastResponse.forbidden("Address not allowed on this mount"));
            return false;
        }
        Map<String, String> streamHeaders = new LinkedHashMap<>();
        head.headerMap().forEach((name, value) -> {
            if (IcyHeaders.describesStream(name)) {
                streamHeaders.put(name, value);
            }
        });
        SourceInfo info = new SourceInfo(head.header("Content-Type").orElse(null), streamHeaders,
                head.header("User-Agent").orElse(""), from, clock.instant());
        SourceAdmission admission = sources.start(
                new StartSourceUseCase.StartSourceCommand(mountPath, credentials, info, () -> closeQuietly(ctx)));
        switch (admission) {
            case SourceAdmission.Unauthorized u -> {
                refused(mountPath, ctx, "wrong credentials");
                send(ctx, IcecastResponse.unauthorized(false));
            }
            case SourceAdmission.MountInUse m -> {
                refused(mountPath, ctx, "the mount already has a source");
                send(ctx, IcecastResponse.forbidden("Mountpoint in use"));
            }
            case SourceAdmission.MountDisabled m -> {
                refused(mountPath, ctx, "the mount is disabled");
                send(ctx, IcecastResponse.forbidden("Mountpoint disabled"));
            }
            case SourceAdmission.TooManySources t -> {
                refused(mountPath, ctx, "limits.max_sources are connected");
                send(ctx, IcecastResponse.forbidden("Too many sources connected"));
            }
            case SourceAdmission.InvalidMount i -> {
                refused(mountPath, ctx, "not a valid mount path");
                send(ctx, IcecastResponse.badRequest("Invalid mountpoint"));
            }
            case SourceAdmission.UnsupportedContentType u -> refuseContentType(ctx, mountPath, info);
            case SourceAdmission.Started started ->
                    stream(head, ctx, deadline, idleTimeoutNanos, started.session(), answerOk);
        }
        return false;
    }

    private void refused(String mountPath, ConnectionContext ctx, String why) {
        LOG.log(System.Logger.Level.WARNING, "refused a source for {0} from {1}: {2}", EchoedText.oneLine(mountPath),
                from, why);
    }

    /**
     * 415 rather than Icecast's usual 403, so that an encoder's log names the cause; the type itself is
     * only logged, cut short, not echoed.
     */
    private static void refuseContentType(ConnectionContext ctx, String mountPath, SourceInfo info) {
        String type = EchoedText.oneLine(info.contentType());
        LOG.log(System.Logger.Level.WARNING,
                "refused a source for {0} from {1}: Content-Type \"{2}\" is not audio or video", mountPath,
                info.remoteAddress(), type.length() > 100 ? type.substring(0, 100) + "..." : type);
        send(ctx, IcecastResponse.of(415, "Unsupported Media Type", "text/plain; charset=utf-8", false)
                .withBody("Content-Type must be audio/*, video/*, application/ogg or application/octet-stream\r\n"));
    }

    private void stream(RequestHead head, ConnectionContext ctx, ConnectionWatchdog.Deadline deadline,
                        long idleTimeoutNanos, SourceSession session, boolean answerOk) {
        boolean chunked = head.header("Transfer-Encoding").map(v -> v.toLowerCase().contains("chunked")).orElse(false);
        ChunkedBody body = chunked ? new ChunkedBody() : null;
        HelidonSource listed = null;
        try {
            if (answerOk && head.headerIs("Expect", "100-continue")) {
                send(ctx, CONTINUE);
            }
            if (answerOk) {
                send(ctx, OK);
            }
            listed = new HelidonSource(session, ctx, body);
            deadline.arm(idleTimeoutNanos);
            deadline.tick(session::flushIfDue);
            handable.add(listed);
            listed.readUntilEnd(() -> deadline.arm(idleTimeoutNanos));
        } catch (IOException e) {
            // the encoder or the network failed, or a kick closed the socket: the source is over
            LOG.log(System.Logger.Level.DEBUG, "source of " + session.mountPath() + " ended", e);
        } catch (RuntimeException e) {
            // not the encoder's doing (a broken chunked body ends the read, logged by SourceReader)
            LOG.log(System.Logger.Level.WARNING, "source of " + session.mountPath() + " ended by an error", e);
        } finally {
            deadline.tick(null);
            deadline.disarm();
            if (listed != null) {
                handable.remove(listed);
            }
            if (listed != null && listed.frozen) {
                session.handOver();
                listed.stopped.countDown();
            } else {
                session.finish();
            }
        }
    }

    /**
     * A source on a connection Helidon accepted, read by {@link SourceReader} on a platform thread of its
     * own while the connection's virtual thread waits for it. What Helidon's reader already holds (the
     * audio a {@code SOURCE} client sends right behind its head) is read first. A plain connection is then
     * read straight from its JDK socket, a TLS one through Helidon's reader (its SSLEngine is there).
     *
     * <p>Frozen for a take-over by closing the JDK socket under the read ({@code SO_LINGER} 0, and a
     * duplicate kept: the connection itself stays). The loop publishes every byte it took before it reads
     * again, so every byte it did not take is still in the kernel's socket buffer for the new process.
     */
    private static final class HelidonSource implements HandableSources.HandableSource {
        private final SourceSession session;
        private final ConnectionContext ctx;
        /** A chunked body's decoder, used by the reading thread only (before {@link #stopped}); or null. */
        private final ChunkedBody body;
        /** The connection's JDK socket, or null on TLS. */
        private final Socket plain;
        /**
         * What Helidon's reader holds, then the connection. Built before the source is listed for a
         * take-over: a freeze closes the socket, after which the socket's stream could not be had, and the
         * bytes already taken from Helidon's reader would be lost; as it is they are read, and published.
         */
        private final InputStream audio;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean frozen;

        HelidonSource(SourceSession session, ConnectionContext ctx, ChunkedBody body) throws IOException {
            this.session = session;
            this.ctx = ctx;
            this.body = body;
            this.plain = ListenerStream.engineCanTake(ctx) ? HelidonSockets.socketOf(ctx.serverSocket()) : null;
            DataReader reader = ctx.dataReader();
            byte[] buffered = reader.available() > 0 ? reader.readBytes(reader.available()) : new byte[0];
            this.audio = new SequenceInputStream(new ByteArrayInputStream(buffered),
                    plain != null ? plain.getInputStream() : new ReaderStream(reader));
        }

        /** Reads on a thread of its own and waits for it; returns when the source is over, throws how it ended. */
        void readUntilEnd(Runnable onRead) throws IOException {
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread thread = SourceReader.thread(session.mountPath()).start(() -> {
                try {
                    SourceReader.read(audio, body, session, onRead);
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
            });
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the server stops: end the read, then wait for the loop to leave
                    closeQuietly(ctx);
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure.get() instanceof IOException e) {
                throw e;
            }
            if (failure.get() instanceof RuntimeException e) {
                throw e;
            }
        }

        @Override
        public String mountPath() {
            return session.mountPath();
        }

        @Override
        public HandableSources.Frozen freeze() throws IOException, InterruptedException {
            if (plain == null) {
                throw new IOException("the source of " + mountPath() + " is on TLS: its SSLEngine cannot move");
            }
            SocketChannel copy = SocketDescriptors.duplicate(plain);
            frozen = true;
            plain.close(); // the blocked read ends; the kernel keeps what the encoder sent since
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                copy.close();
                throw new IOException("the source of " + mountPath() + " did not stop reading");
            }
            // read after the source's thread stopped (the latch orders it): every byte it took is decoded
            return new HandableSources.Frozen(mountPath(), copy, body == null ? new byte[0] : body.state());
        }
    }

    /** Helidon's reader as a stream: each read takes what the reader holds, or waits for more. */
    private static final class ReaderStream extends InputStream {
        private final DataReader reader;

        ReaderStream(DataReader reader) {
            this.reader = reader;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            try {
                reader.ensureAvailable();
            } catch (DataReader.InsufficientDataAvailableException end) {
                return -1;
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // the connection failed (Helidon's reader wraps it): as on a plain socket
            }
            byte[] taken = reader.readBytes(Math.min(length, reader.available()));
            System.arraycopy(taken, 0, bytes, offset, taken.length);
            return taken.length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }

    private static void closeQuietly(ConnectionContext ctx) {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException alreadyClosed) {
            // nothing to do
        }
    }

    private static void send(ConnectionContext ctx, byte[] bytes) {
        ctx.dataWriter().writeNow(BufferData.create(bytes));
    }
}
