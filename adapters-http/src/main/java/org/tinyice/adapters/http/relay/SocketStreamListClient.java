package org.tinyice.adapters.http.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.port.out.StreamListClient;
import org.tinyice.domain.mount.MountPath;

/**
 * The origin's stream list over a plain {@link Socket} and HTTP/1.0, like {@link SocketRelayClient}: an
 * Icecast origin answers {@code HTTP/1.0} without a length and closes, which is all this needs. At most
 * {@value #MAX_BYTES} bytes are read, so a wrong URL that streams audio is given up on instead of read
 * for ever.
 */
public final class SocketStreamListClient implements StreamListClient {

    static final int MAX_BYTES = 1024 * 1024;

    @Override
    public Listing fetch(URI url, String username, Optional<String> password, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        int port = url.getPort() < 0 ? 80 : url.getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), millis);
            socket.setSoTimeout(millis);
            send(socket.getOutputStream(), url, username, password);
            String answer = readAll(socket.getInputStream());
            int headEnd = answer.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                return new Listing.Failed("not an HTTP answer (no end of head)");
            }
            String statusLine = answer.substring(0, answer.indexOf("\r\n"));
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                return new Listing.Failed("not an HTTP answer: " + statusLine);
            }
            if (!parts[1].equals("200")) {
                return new Listing.Failed("the origin answered " + parts[1] + (parts.length > 2 ? " " + parts[2] : "")
                        + (parts[1].equals("401") ? " (check the master's username and password)" : ""));
            }
            List<String> mounts = new ArrayList<>();
            for (String line : answer.substring(headEnd + 4).split("\r?\n")) {
                String mount = line.strip();
                if (MountPath.isValid(mount)) {
                    mounts.add(mount);
                }
            }
            return new Listing.Listed(mounts);
        } catch (IOException e) {
            return new Listing.Failed("cannot fetch the list: " + url.getHost() + ":" + port + ": " + e.getMessage());
        }
    }

    private static void send(OutputStream out, URI url, String username, Optional<String> password)
            throws IOException {
        StringBuilder head = new StringBuilder()
                .append("GET ").append(url.getRawPath())
                .append(url.getRawQuery() == null ? "" : "?" + url.getRawQuery()).append(" HTTP/1.0\r\n")
                .append("Host: ").append(url.getHost()).append(url.getPort() < 0 ? "" : ":" + url.getPort())
                .append("\r\n")
                .append("User-Agent: ").append(SocketRelayClient.USER_AGENT).append("\r\n");
        if (password.isPresent()) {
            String pair = username + ":" + password.get();
            head.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
            if (all.size() > MAX_BYTES) {
                throw new IOException("the answer is larger than " + MAX_BYTES + " bytes: not a stream list");
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
