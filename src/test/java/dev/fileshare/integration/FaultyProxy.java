package dev.fileshare.integration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that passes bytes between a client and a server until a fault: after a
 * set number of bytes in one direction it cuts the connection (both sides see it closed) or stalls
 * it (the bytes stop, the sockets stay open). This kernel has no netem; this plays its part.
 */
final class FaultyProxy implements AutoCloseable {
  enum Fault {
    CUT,
    STALL
  }

  enum Direction {
    TO_SERVER,
    TO_CLIENT
  }

  private final ServerSocket listener;
  private final int serverPort;
  private final Direction direction;
  private final long afterBytes;
  private final Fault fault;
  private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

  /** The first bytes that passed in each direction, for tests that check what the wire shows. */
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

  private static final int SEEN_LIMIT = 16 << 20;

  /** A proxy without a fault: it passes everything, and records what it saw. */
  static FaultyProxy recording(int serverPort) throws IOException {
    return new FaultyProxy(serverPort, Direction.TO_SERVER, Long.MAX_VALUE, Fault.CUT);
  }

  byte[] seen() {
    synchronized (seen) {
      return seen.toByteArray();
    }
  }

  FaultyProxy(int serverPort, Direction direction, long afterBytes, Fault fault)
      throws IOException {
    this.listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.serverPort = serverPort;
    this.direction = direction;
    this.afterBytes = afterBytes;
    this.fault = fault;
    Thread acceptor = new Thread(this::acceptLoop, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
        sockets.add(client);
        sockets.add(server);
        pump(client, server, direction == Direction.TO_SERVER);
        pump(server, client, direction == Direction.TO_CLIENT);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, boolean faulty) {
    Thread thread =
        new Thread(
            () -> {
              AtomicLong passed = new AtomicLong();
              byte[] buffer = new byte[16 << 10];
              // Not try-with-resources: closing a socket's stream closes the socket, and a
              // stalled connection must stay open.
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                  int n = in.read(buffer);
                  if (n < 0) {
                    to.shutdownOutput();
                    return;
                  }
                  int allowed = n;
                  if (faulty) {
                    allowed = (int) Math.max(0, Math.min(n, afterBytes - passed.get()));
                  }
                  out.write(buffer, 0, allowed);
                  passed.addAndGet(allowed);
                  synchronized (seen) {
                    if (seen.size() < SEEN_LIMIT) {
                      seen.write(buffer, 0, allowed);
                    }
                  }
                  if (allowed < n) {
                    onFault();
                    return;
                  }
                }
              } catch (IOException e) {
                // one side went away; the other pump sees it too
              }
            },
            "faulty-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void onFault() throws IOException {
    if (fault == Fault.CUT) {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    // STALL: nothing more passes in this direction; the sockets stay open until close().
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
