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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.StreamListClient.Listing;

class SocketStreamListClientTest {

    private ServerSocket server;
    private final AtomicReference<String> request = new AtomicReference<>();

    /** A server that answers one request with {@code answer}, then closes, as Icecast does. */
    private URI answering(String answer) throws IOException {
        server = new ServerSocket(0);
        Thread.ofVirtual().start(() -> {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    head.write(in.read());
                }
                request.set(head.toString(StandardCharsets.ISO_8859_1));
                client.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException ignored) {
                // the test sees what the client made of it
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/admin/streamlist.txt");
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private Listing fetch(URI url) {
        return new SocketStreamListClient().fetch(url, "relay", Optional.of("secret"), Duration.ofSeconds(5));
    }

    @Test
    void icecastsAnswerGivesTheMountsAndTheRequestCarriesTheRelayAccount() throws IOException {
        Listing listing = fetch(answering("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n/live\r\n/jazz\r\n"));
        assertEquals(new Listing.Listed(List.of("/live", "/jazz")), listing);
        assertTrue(request.get().startsWith("GET /admin/streamlist.txt HTTP/1.0\r\n"), request.get());
        assertTrue(request.get().contains("Authorization: Basic cmVsYXk6c2VjcmV0\r\n"), request.get());
    }

    @Test
    void anEdgesReportTravelsInTheQuery() throws IOException {
        URI list = answering("HTTP/1.0 200 OK\r\n\r\n/live\r\n");
        fetch(URI.create(list + "?rserver=edge1.example&rport=8000&interval=30&room=12"));
        assertTrue(request.get().startsWith(
                "GET /admin/streamlist.txt?rserver=edge1.example&rport=8000&interval=30&room=12 HTTP/1.0\r\n"),
                request.get());
    }

    @Test
    void linesThatAreNoMountAreLeftOutAndBareNewlinesAreTaken() throws IOException {
        Listing listing = fetch(answering("HTTP/1.0 200 OK\r\n\r\n/a\n\nnot a mount\n/b"));
        assertEquals(new Listing.Listed(List.of("/a", "/b")), listing);
    }

    @Test
    void aRefusalSaysWhatToCheck() throws IOException {
        Listing listing = fetch(answering("HTTP/1.0 401 Authentication Required\r\n\r\nYou need to authenticate\r\n"));
        Listing.Failed failed = assertInstanceOf(Listing.Failed.class, listing);
        assertTrue(failed.why().contains("401") && failed.why().contains("username and password"), failed.why());
    }

    @Test
    void anAnswerThatIsNotHttpFails() throws IOException {
        assertInstanceOf(Listing.Failed.class, fetch(answering("SSH-2.0-OpenSSH\r\n\r\n")));
    }

    @Test
    void noServerFails() throws IOException {
        URI nobody = answering("");
        server.close();
        assertInstanceOf(Listing.Failed.class, fetch(nobody));
    }
}
