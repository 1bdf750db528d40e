package org.tinyice.adapters.http.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.RelayClient.Failure;
import org.tinyice.application.port.out.RelayClient.Opening;
import org.tinyice.application.port.out.RelayClient.RelayRequest;
import org.tinyice.application.port.out.RelayClient.Upstream;

/** The relay's request on the wire, and what it makes of answers, against a scripted server on loopback. */
class SocketRelayClientTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    /** A server that answers each request head with {@code answer(path)}, then closes. */
    private int serve(Function<String, byte[]> answer) throws IOException {
        server = new ServerSocket(0);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    String head = readHead(s.getInputStream());
                    requests.add(head);
                    s.getOutputStream().write(answer.apply(head.split(" ", 3)[1]));
                } catch (IOException | RuntimeException e) {
                    // next
                }
            }
        });
        return server.getLocalPort();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Opening open(int port, String path, boolean metadata, Optional<String> user, Optional<String> pass) {
        return new SocketRelayClient().open(new RelayRequest(URI.create("http://127.0.0.1:" + port + path), user, pass,
                metadata, Duration.ofSeconds(5)));
    }

    private static Opening open(int port, String path) {
        return open(port, path, true, Optional.empty(), Optional.empty());
    }

    @Test
    void asksAsIcecastsRelayDoesAndReadsAnIcyAnswer() throws IOException {
        int port = serve(path -> bytes("ICY 200 OK\r\nicy-name:Shout\r\nicy-metaint:8192\r\nicy-br:128\r\n\r\nAUDIO"));
        Opening opening = open(port, "/live", true, Optional.of("relay"), Optional.of("s3cret"));
        Upstream upstream = assertInstanceOf(Opening.Opened.class, opening).upstream();
        try (upstream) {
            assertEquals("audio/mpeg", upstream.contentType(), "an ICY answer without a type is MP3");
            assertEquals(8192, upstream.metaint());
            assertEquals("Shout", upstream.headers().get("icy-name"));
            byte[] body = new byte[16];
            assertEquals("AUDIO", new String(body, 0, upstream.read(body), StandardCharsets.US_ASCII),
                    "bytes after the head are the stream's");
        }
        String request = requests.getFirst();
        assertTrue(request.startsWith("GET /live HTTP/1.0\r\n"), request);
        assertTrue(request.contains("\r\nIcy-MetaData: 1\r\n") && request.contains("User-Agent: TinyIce"), request);
        assertTrue(request.contains("Authorization: Basic cmVsYXk6czNjcmV0\r\n"), request);
    }

    @Test
    void withoutMetadataItDoesNotAskForIt() throws IOException {
        int port = serve(path -> bytes("HTTP/1.0 200 OK\r\nContent-Type: application/ogg\r\n\r\n"));
        try (Upstream upstream = ((Opening.Opened) open(port, "/o.ogg", false, Optional.empty(), Optional.empty()))
                .upstream()) {
            assertEquals(0, upstream.metaint());
        }
        assertTrue(!requests.getFirst().contains("Icy-MetaData") && !requests.getFirst().contains("Authorization"));
    }

    @Test
    void followsRedirectsAndGivesUpAfterTen() throws IOException {
        int port = serve(path -> switch (path) {
            case "/hop" -> bytes("HTTP/1.0 302 Found\r\nLocation: /live\r\n\r\n");
            case "/live" -> bytes("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n");
            case "/https" -> bytes("HTTP/1.0 301 Moved\r\nLocation: https://elsewhere/live\r\n\r\n");
            default -> bytes("HTTP/1.1 307 Again\r\nLocation: /loop" + requests.size() + "\r\n\r\n");
        });
        assertInstanceOf(Opening.Opened.class, open(port, "/hop")).upstream().close();
        Failure loop = assertInstanceOf(Opening.Failed.class, open(port, "/loop")).failure();
        assertInstanceOf(Failure.TooManyRedirects.class, loop);
        assertEquals(2 + 11, requests.size(), "the first request and ten redirects");
        Failure https = assertInstanceOf(Opening.Failed.class, open(port, "/https")).failure();
        assertTrue(https.describe().contains("only http://"), https.describe());
    }

    @Test
    void tellsWhatIsWrongWithAnswersThatAreNoStream() throws IOException {
        int port = serve(path -> switch (path) {
            case "/missing" -> bytes("HTTP/1.0 404 File Not Found\r\n\r\n");
            case "/page" -> bytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>");
            case "/huge" -> bytes("HTTP/1.0 200 OK\r\nX: " + "a".repeat(20_000) + "\r\n\r\n");
            case "/metaint" -> bytes("HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\nicy-metaint: -5\r\n\r\n");
            case "/silent" -> new byte[0];
            default -> bytes("\u0000\u0001garbage\r\n\r\n");
        });
        assertEquals(new Failure.HttpStatus(404, "File Not Found"), failure(port, "/missing"));
        assertEquals(new Failure.NotAudio("text/html"), failure(port, "/page"));
        assertTrue(failure(port, "/huge").describe().contains("longer than"));
        assertTrue(failure(port, "/metaint").describe().contains("icy-metaint"));
        assertTrue(failure(port, "/silent").describe().contains("closed without an answer"));
        assertInstanceOf(Failure.BadResponse.class, failure(port, "/garbage"));
        // a port nobody listens on: not this test server's, whose close is deferred while its virtual
        // thread is parked in accept (a connect in that moment still lands in the old backlog)
        int nobody;
        try (ServerSocket closed = new ServerSocket(0)) {
            nobody = closed.getLocalPort();
        }
        assertInstanceOf(Failure.Unreachable.class, failure(nobody, "/gone"));
    }

    private static Failure failure(int port, String path) {
        return assertInstanceOf(Opening.Failed.class, open(port, path)).failure();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
