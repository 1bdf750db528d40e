package org.tinyice.bootstrap.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket speaking exact bytes, for what HTTP client libraries would smooth over. */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    public RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer SO_RCVBUF to ask for (0: the default); small for a "stalled" listener */
    public RawClient(int port, int receiveBuffer) throws IOException {
        this(port, receiveBuffer, null);
    }

    /**
     * From another loopback address ({@code 127.0.0.2}, ...: Linux answers on all of 127/8), to be
     * "another client" to the server.
     */
    public static RawClient from(String localAddress, int port) throws IOException {
        return new RawClient(port, 0, localAddress);
    }

    private RawClient(int port, int receiveBuffer, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    /** A listener on {@code mount} whose response head has been read (asserts a 200). */
    public static RawClient listen(TestServer server, String mount, String userAgent) throws IOException {
        RawClient client = new RawClient(server.port());
        String head = client.send("GET " + mount + " HTTP/1.0\r\nUser-Agent: " + userAgent + "\r\n\r\n").readHead();
        if (!head.startsWith("HTTP/1.0 200 OK")) {
            client.close();
            throw new AssertionError("not admitted to " + mount + ": " + head);
        }
        return client;
    }

    /** Reads until {@code n} bytes in a row equal {@code value}: tells which mount a listener hears. */
    public void awaitRun(byte value, int n) throws IOException {
        timeout(10_000);
        int run = 0;
        for (int read = 0; read < 2_000_000; read++) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("stream ended before " + n + " bytes of " + value);
            }
            run = (byte) b == value ? run + 1 : 0;
            if (run == n) {
                return;
            }
        }
        throw new AssertionError("never got " + n + " bytes of " + value);
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads up to and including the blank line that ends a response head. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Reads exactly {@code n} bytes, or fewer if the server closes first. */
    public byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Everything until the server closes the connection (bounded by the socket timeout). */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** True when the server closed the connection (EOF or reset) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            byte[] sink = new byte[65536];
            while (true) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
