package org.tinyice.adapters.http.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback: an accepted classic socket handed to a channel, as a listener's is. */
class SocketDescriptorsTest {

    @Test
    void aDuplicateKeepsTheConnectionOpenAfterTheOriginalSocketIsClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            client.setSoTimeout(5000);
            SocketChannel channel;
            try (Socket accepted = server.accept()) {
                accepted.getOutputStream().write("head\n".getBytes(StandardCharsets.US_ASCII));
                channel = SocketDescriptors.duplicate(accepted);
            } // closed as Helidon closes its socket when the connection's handler returns
            try {
                assertEquals(new InetSocketAddress(InetAddress.getLoopbackAddress(), client.getLocalPort()),
                        channel.getRemoteAddress(), "the channel knows its peer");
                channel.write(ByteBuffer.wrap("audio".getBytes(StandardCharsets.US_ASCII)));
                InputStream in = client.getInputStream();
                assertArrayEquals("head\naudio".getBytes(StandardCharsets.US_ASCII), in.readNBytes(10));
            } finally {
                SocketDescriptors.closeGracefully(channel);
            }
            assertEquals(-1, client.getInputStream().read(), "closing the channel ends the connection");
        }
    }

    @Test
    void aDescriptorThatIsNotASocketIsRefused() {
        assertThrows(IOException.class, () -> SocketDescriptors.adopt(0 /* stdin: not a socket under surefire */));
    }
}
