package org.tinyice.adapters.http.takeover;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Assertions;
import org.tinyice.adapters.http.fanout.SocketDescriptors;

/** Messages and descriptors over a real Unix domain socket, as between two TinyIce processes. */
class UnixMessagesTest {

    @TempDir
    Path dir;

    @Test
    void aTcpConnectionSentWithAMessageWorksOnTheOtherSide() throws Exception {
        try (ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket peer = new Socket(InetAddress.getLoopbackAddress(), tcp.getLocalPort())) {
            unix.bind(UnixDomainSocketAddress.of(dir.resolve("channel")));
            peer.setSoTimeout(5_000);
            SocketChannel accepted;
            try (Socket socket = tcp.accept()) {
                accepted = SocketDescriptors.duplicate(socket);
            }
            try (UnixMessages sender = new UnixMessages(SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("channel"))));
                 UnixMessages receiver = new UnixMessages(unix.accept())) {
                byte[] big = new byte[200_000]; // more than one write of the socket: the descriptor comes with the start
                big[199_999] = 7;
                sender.send("listeners", big, SocketDescriptors.descriptorOf(accepted));
                accepted.close(); // SO_LINGER 0 (duplicate's): the receiver's copy keeps the connection
                sender.send("end");

                UnixMessages.Message message = receiver.receive();
                assertEquals("listeners", message.type());
                assertArrayEquals(big, message.data());
                assertEquals(1, message.descriptors().length);
                try (SocketChannel received = SocketDescriptors.adopt(message.descriptors()[0])) {
                    received.write(ByteBuffer.wrap("still here".getBytes(StandardCharsets.US_ASCII)));
                    assertArrayEquals("still here".getBytes(StandardCharsets.US_ASCII),
                            peer.getInputStream().readNBytes(10));
                }
                UnixMessages.Message end = receiver.receive();
                assertEquals("end", end.text());
                assertEquals(0, end.descriptors().length);
                sender.close();
                Assertions.assertThrows(EOFException.class, receiver::receive);
            }
        }
    }
}
