package org.tinyice.application.port.out;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Opens another server's stream for a relay, as Icecast's relay asks for it: {@code GET /mount
 * HTTP/1.0}, {@code Icy-MetaData: 1} when metadata is wanted, redirects followed (a few, {@code http://}
 * only). The answer is the upstream's stream, or why there is none.
 */
public interface RelayClient {

    /** Redirects followed before giving up: enough for a load balancer in front of a cluster. */
    int MAX_REDIRECTS = 10;

    Opening open(RelayRequest request);

    /**
     * @param idleTimeout how long connecting, the answer and every later read may take (a silent
     *                    upstream is as good as gone: {@code limits.source_timeout})
     */
    record RelayRequest(URI url, Optional<String> username, Optional<String> password, boolean metadata,
                        Duration idleTimeout) {
    }

    sealed interface Opening {
        record Opened(Upstream upstream) implements Opening { }

        record Failed(Failure failure) implements Opening { }
    }

    /** Why an upstream could not be opened; {@link #describe()} is what the log says. */
    sealed interface Failure {
        String describe();

        /** No connection: refused, unreachable, unknown host, timed out. */
        record Unreachable(String detail) implements Failure {
            public String describe() {
                return "cannot connect: " + detail;
            }
        }

        /** Any answer but 200 (after redirects): 404 no such mount, 401 wrong credentials, ... */
        record HttpStatus(int status, String reason) implements Failure {
            public String describe() {
                return "the upstream answered " + status + (reason.isEmpty() ? "" : " " + reason);
            }
        }

        record TooManyRedirects(URI last) implements Failure {
            public String describe() {
                return "more than " + MAX_REDIRECTS + " redirects (the last to " + last + ")";
            }
        }

        /** A 200 whose content is not a stream, e.g. an HTML page. */
        record NotAudio(String contentType) implements Failure {
            public String describe() {
                return "the upstream sends " + (contentType.isEmpty() ? "no Content-Type" : contentType)
                        + ", not audio";
            }
        }

        /** Not an HTTP or ICY answer, a head too large, a redirect to https, a bad icy-metaint. */
        record BadResponse(String detail) implements Failure {
            public String describe() {
                return "not a stream answer: " + detail;
            }
        }
    }

    /**
     * An open upstream stream. {@link #read} gives the bytes as the upstream sends them, ICY metadata
     * blocks included when {@link #metaint()} is positive.
     */
    interface Upstream extends Closeable {
        String contentType();

        /** The upstream's answer headers, names lower-cased. */
        Map<String, String> headers();

        /** The audio bytes between metadata blocks, 0 when the upstream sends none. */
        int metaint();

        /** The upstream's address, for status ({@code source_ip}). */
        String remoteAddress();

        /** @return bytes read, -1 at the end of the stream; throws when the upstream is silent too long */
        int read(byte[] buffer) throws IOException;

        /** Safe from any thread, also during a read (admin "kill source", a relay that is stopped). */
        @Override
        void close();

        /**
         * A take-over: a read under way ends (it throws) and no later one reads, but the connection stays
         * open, with every byte this upstream has not given out yet, for the process that takes it over.
         * Safe from any thread.
         *
         * @throws IOException if the connection cannot be kept for another process (nothing changed then)
         */
        void stopForHandOver() throws IOException;
    }
}
