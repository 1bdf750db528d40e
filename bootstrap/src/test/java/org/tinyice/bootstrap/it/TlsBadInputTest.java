package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that get the ports wrong, or stop half-way: each gets a clear failure, and everyone else
 * is served meanwhile.
 */
class TlsBadInputTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static TestCertificates ca;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.forServerIn(dir, "ec");
        server = TestServer.start(dir, "{\"limits\": {\"header_timeout\": 2}, " + TestCertificates.TLS_ON_ANY_PORT + "}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ExternalProcess.Result curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "-m", "10", "--cacert",
                ca.caFile().toString()));
        command.addAll(List.of(args));
        return ExternalProcess.run(dir, 30, command);
    }

    private static void everyoneElseIsServed() throws Exception {
        ExternalProcess.Result https = curl(server.httpsUrl("/healthz"));
        assertEquals(0, https.exitCode(), https.output());
        assertEquals("ok\n", https.output());
        assertEquals(200, server.get("/healthz").statusCode());
    }

    @Test
    void plainHttpSentToTheTlsPortIsClosedWithoutAnAnswer() throws Exception {
        try (RawClient client = new RawClient(server.httpsPort())) {
            client.timeout(10_000);
            byte[] answer = readUntilClosed(client);
            // the TLS side answers a non-handshake with at most an alert record, never HTTP
            assertTrue(answer.length == 0 || answer[0] == 0x15, "closed, or a TLS alert: " + answer.length + " bytes");
        }
        ExternalProcess.Result curl = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-m", "10",
                "http://127.0.0.1:" + server.httpsPort() + "/healthz"));
        assertTrue(curl.exitCode() != 0 && curl.exitCode() != 28, "curl fails at once, not by timeout: " + curl);
        everyoneElseIsServed();
    }

    @Test
    void aTlsHandshakeSentToThePlainPortFailsAtOnce() throws Exception {
        long start = System.nanoTime();
        ExternalProcess.Result curl = curl("https://127.0.0.1:" + server.port() + "/healthz");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(35, curl.exitCode(), "curl's TLS connect error: " + curl.output());
        assertTrue(seconds < 8, "closed at once, not after the header timeout: " + seconds + " s");
        everyoneElseIsServed();
    }

    @Test
    void aClientThatStopsInItsHandshakeHoldsNobodyUpAndIsClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", server.httpsPort());
             Socket halfHello = new Socket("127.0.0.1", server.httpsPort())) {
            // the first bytes of a TLS record header announcing a handshake, then nothing more
            halfHello.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            halfHello.getOutputStream().flush();
            everyoneElseIsServed();
            // limits.header_timeout is 2 s here; the watchdog sweeps twice a second
            silent.setSoTimeout(10_000);
            halfHello.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertClosedByServer(silent);
            assertClosedByServer(halfHello);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 8, "closed after the header timeout, not at a read timeout: " + seconds + " s");
        }
        everyoneElseIsServed();
    }

    @Test
    void aListenerWhoseHandshakeFinishedIsNotCutByTheHandshakeDeadline() throws Exception {
        try (ExternalProcess source = Encoders.ffmpegMp3(dir, server, "/past-deadline");
             javax.net.ssl.SSLSocket listener = (javax.net.ssl.SSLSocket) ca.clientContext().getSocketFactory()
                     .createSocket("localhost", server.httpsPort())) {
            Sources.awaitMount(server, "/past-deadline", source);
            listener.setSoTimeout(10_000);
            listener.getOutputStream().write("GET /past-deadline HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = listener.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() - until < 0) {
                int read = in.read(buffer);
                assertTrue(read > 0, "the stream goes on past the 2 s header timeout (had " + total + " bytes)");
                total += read;
            }
        }
    }

    /** Reads until the server closes: at most an alert record, then the end of the stream (or a reset). */
    private static void assertClosedByServer(Socket socket) throws IOException {
        java.io.InputStream in = socket.getInputStream();
        try {
            int total = 0;
            while (in.read() >= 0) {
                assertTrue(++total < 64, "only an alert, no answer");
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            throw new AssertionError("the server did not close a connection that never finished its handshake");
        } catch (java.net.SocketException reset) {
            // closed with a reset: closed all the same
        }
    }

    @Test
    void aWrongServerNameGetsTheCertificateAndFailsItsOwnNameCheck() throws Exception {
        ExternalProcess.Result wrong = curl("--resolve", "wrong.example:" + server.httpsPort() + ":127.0.0.1",
                "https://wrong.example:" + server.httpsPort() + "/healthz");
        assertEquals(60, wrong.exitCode(), "curl refuses the certificate for another name: " + wrong.output());
        assertTrue(wrong.output().contains("wrong.example"), wrong.output());
        everyoneElseIsServed();
    }

    private static byte[] readUntilClosed(RawClient client) throws IOException {
        client.send("GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try {
            return client.readToEnd();
        } catch (java.net.SocketException reset) {
            return new byte[0];
        }
    }
}
