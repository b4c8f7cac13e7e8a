package dev.fileshare.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A discovery server made of a plain socket on loopback: answers each probe with fixed payloads,
 * e.g. the bare name of an original-design server, or garbage. No payloads: a silent server.
 */
final class FakeServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final List<byte[]> replies;
  private final AtomicInteger probesReceived = new AtomicInteger();
  private final Thread thread;

  FakeServer(List<byte[]> replies) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.replies = List.copyOf(replies);
    this.thread = new Thread(this::serve, "fake-discovery-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  int probesReceived() {
    return probesReceived.get();
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        if (!DiscoveryProtocol.isProbe(packet.getData(), packet.getOffset(), packet.getLength())) {
          continue;
        }
        probesReceived.incrementAndGet();
        for (byte[] reply : replies) {
          socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        return; // Closed.
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(5000);
  }
}
