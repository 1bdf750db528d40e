package org.tinyice.adapters.http.icecast;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Pattern;
import org.tinyice.adapters.http.takeover.HandableSources;
import org.tinyice.application.config.ServerConfig;

/**
 * One connection to a {@code "shoutcast"} port: a SHOUTcast v1 encoder (password line, {@code icy-*}
 * headers, audio; {@link SourceHandshake#handleShoutcast}) or an HTTP {@code GET /admin.cgi} title
 * update ({@link ShoutcastMetadata}). The per-address limit and the header deadline hold from accept,
 * as on the main port; a refusal is logged, since a SHOUTcast encoder is refused with a silent close.
 */
final class ShoutcastConnection implements ServerConnection {

    private static final System.Logger LOG = System.getLogger(ShoutcastConnection.class.getName());

    /** An HTTP request line; a password that looks like one is not worth guessing about. */
    private static final Pattern HTTP_REQUEST_LINE = Pattern.compile("[A-Z]+ /\\S* HTTP/1\\.[01]");

    private final ConnectionContext ctx;
    private final IcecastProtocol protocol;
    private final ConnectionWatchdog watchdog;
    private final ConnectionsPerAddress perAddress;
    private final String mount;
    private final java.util.concurrent.atomic.LongAdder refusedByAddress;
    /** Where its encoder is listed once it streams, so that a take-over moves it like any other source. */
    private final HandableSources handable;
    private volatile boolean closed;

    ShoutcastConnection(ConnectionContext ctx, IcecastProtocol protocol, ConnectionWatchdog watchdog,
                        ConnectionsPerAddress perAddress, java.util.concurrent.atomic.LongAdder refusedByAddress,
                        String mount, HandableSources handable) {
        this.handable = handable;
        this.refusedByAddress = refusedByAddress;
        this.ctx = ctx;
        this.protocol = protocol;
        this.watchdog = watchdog;
        this.perAddress = perAddress;
        this.mount = mount;
    }

    @Override
    public void handle(Limit limit) {
        ServerConfig config = protocol.config().get();
        InetAddress address = ((InetSocketAddress) ctx.remotePeer().address()).getAddress();
        // an encoder speaks to this port directly (no proxy forwards SHOUTcast v1), so the peer is the client
        if (!protocol.addressPolicy().mayConnect(address) || !protocol.addressPolicy().mayUseMount(address, mount)) {
            refusedByAddress.increment();
            closeSocket();
            return;
        }
        ConnectionsPerAddress.Admission admission = perAddress.admit(address, config.limits());
        if (admission == ConnectionsPerAddress.Admission.REFUSED) {
            LOG.log(Level.WARNING, "refused a SHOUTcast connection for {0} from {1}: limits.max_connections_per_address",
                    mount, ctx.remotePeer().host());
            closeSocket();
            return;
        }
        try {
            serve(config);
        } finally {
            if (admission == ConnectionsPerAddress.Admission.COUNTED) {
                perAddress.release(address);
            }
        }
    }

    private void serve(ServerConfig config) {
        long headerTimeout = config.limits().headerTimeout().toNanos();
        String from = ctx.remotePeer().host();
        try (ConnectionWatchdog.Deadline deadline = watchdog.register(this::closeSocket)) {
            deadline.arm(headerTimeout);
            try {
                String firstLine = IcecastConnection.peekRequestLine(ctx.dataReader());
                if (firstLine != null && HTTP_REQUEST_LINE.matcher(firstLine).matches()) {
                    http(from);
                    return;
                }
                new SourceHandshake(protocol.sources(), protocol.credentials(), protocol.clock(),
                        protocol.addressPolicy(), ((InetSocketAddress) ctx.remotePeer().address()).getAddress(),
                        handable)
                        .handleShoutcast(mount, ctx, deadline, config.limits().sourceIdleTimeout().toNanos());
            } catch (RuntimeException e) {
                // the audio stage ends its own way: this is a connection that never got that far
                if (deadline.fired()) {
                    LOG.log(Level.WARNING, "closed a SHOUTcast connection for {0} from {1}: no password and headers"
                            + " within limits.header_timeout ({2} s)", mount, from,
                            String.valueOf(Duration.ofNanos(headerTimeout).toSeconds()));
                } else if (e instanceof DataReader.InsufficientDataAvailableException
                        || e instanceof UncheckedIOException) {
                    LOG.log(Level.WARNING, "closed a SHOUTcast connection for {0} from {1}: the client closed it"
                            + " before its password and headers were in", mount, from);
                } else if (!closed) {
                    LOG.log(Level.WARNING, "SHOUTcast connection for " + mount + " from " + from + " failed", e);
                }
            }
        }
    }

    private void http(String from) {
        RequestHead head;
        try {
            head = RequestHeadReader.read(ctx.dataReader());
        } catch (RequestHeadReader.BadRequest bad) {
            send(IcecastResponse.badRequest(bad.getMessage()));
            return;
        }
        if (head.method().equals("GET") && head.path().equals(ShoutcastMetadata.PATH)) {
            send(ShoutcastMetadata.answer(protocol, head, mount, from));
        } else {
            // listeners, status and the rest are on the main port
            send(IcecastResponse.notFound());
        }
    }

    private void send(byte[] bytes) {
        ctx.dataWriter().writeNow(BufferData.create(bytes));
    }

    private void closeSocket() {
        closed = true;
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO; // the watchdog owns this connection's timeouts
    }

    @Override
    public void close(boolean interrupt) {
        closeSocket();
    }
}
