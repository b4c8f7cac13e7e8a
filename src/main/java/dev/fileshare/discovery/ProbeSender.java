package dev.fileshare.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Sends one probe datagram. A seam so that tests can make sends fail the way a downed interface
 * does, without sending anything anywhere.
 */
@FunctionalInterface
interface ProbeSender {
  ProbeSender DIRECT =
      (channel, probe, target) -> {
        if (channel.send(probe, target) == 0) {
          throw new IOException("no room in the socket's send buffer");
        }
      };

  void send(DatagramChannel channel, ByteBuffer probe, InetSocketAddress target) throws IOException;
}
