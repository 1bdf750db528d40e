package org.tinyice.adapters.http.takeover;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tinyice.adapters.http.fanout.SocketDescriptors;
import org.tinyice.adapters.http.icecast.ChunkedBody;
import org.tinyice.adapters.http.icecast.SourceReader;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;

/**
 * A source connection taken over from another process: Helidon cannot adopt a socket it did not
 * accept, so it is read here by {@link SourceReader}, on a platform thread of its own, into the
 * continued mount's session, until the encoder leaves, stays silent for the idle timeout, or is kicked.
 * It can be handed over again (the next update).
 */
final class AdoptedSource implements HandableSources.HandableSource {

    private static final System.Logger LOG = System.getLogger(AdoptedSource.class.getName());

    private final SocketChannel channel;
    private final SourceSession session;
    private final HandableSources registry;
    /** A chunked {@code PUT}'s decoder, going on where the old process's stopped; null for a plain body. */
    private final ChunkedBody body;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean frozen;

    private AdoptedSource(SocketChannel channel, SourceSession session, HandableSources registry, ChunkedBody body) {
        this.channel = channel;
        this.session = session;
        this.registry = registry;
        this.body = body;
    }

    /**
     * Reads {@code channel} (blocking; this takes it) into {@code session} from now on.
     *
     * @param framing where the body's framing stood ({@link HandableSources.Frozen#framing}), empty for none
     */
    static AdoptedSource start(SocketChannel channel, SourceSession session, HandableSources registry,
                               Duration idleTimeout, byte[] framing) throws IOException {
        channel.configureBlocking(true);
        channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
        AdoptedSource source = new AdoptedSource(channel, session, registry,
                framing.length == 0 ? null : ChunkedBody.resume(framing));
        registry.add(source);
        SourceReader.thread(session.mountPath()).start(source::read);
        return source;
    }

    /** Admin "kill source": ends the encoder's connection, so the loop ends and the mount with it. */
    void disconnect() {
        try {
            SocketDescriptors.closeGracefully(channel);
        } catch (IOException ignored) {
            // gone already
        }
    }

    private void read() {
        try (InputStream in = channel.socket().getInputStream()) {
            SourceReader.read(in, body, session, () -> { });
        } catch (SocketTimeoutException idle) {
            // the encoder went silent: as limits.source_timeout does for a source Helidon accepted
        } catch (IOException e) {
            // gone, kicked, or frozen (below)
        } catch (RuntimeException e) {
            // not the encoder's doing (a broken chunked body ends the read, logged by SourceReader)
            LOG.log(System.Logger.Level.WARNING, "source of " + session.mountPath() + " ended by an error", e);
        } finally {
            registry.remove(this);
            if (frozen) {
                session.handOver();
                stopped.countDown();
            } else {
                session.finish();
                disconnect();
            }
        }
    }

    @Override
    public String mountPath() {
        return session.mountPath();
    }

    @Override
    public HandableSources.Frozen freeze() throws IOException, InterruptedException {
        channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0); // closing this copy must end nothing
        SocketChannel copy = SocketDescriptors.adopt(SocketDescriptors.duplicate(SocketDescriptors.descriptorOf(channel)));
        frozen = true;
        channel.close(); // the blocked read ends; the kernel keeps what the encoder sent since
        if (!stopped.await(10, TimeUnit.SECONDS)) {
            copy.close();
            throw new IOException("the source of " + mountPath() + " did not stop reading");
        }
        return new HandableSources.Frozen(mountPath(), copy, body == null ? new byte[0] : body.state());
    }
}
