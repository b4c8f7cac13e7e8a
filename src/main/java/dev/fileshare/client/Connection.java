package dev.fileshare.client;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.FrameCodec;
import dev.fileshare.protocol.Message;
import dev.fileshare.protocol.ProtocolLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * A blocking connection that speaks frames and raw file data. Every I/O failure leaves here as a
 * {@link FileshareException} with a connection code, and marks the connection broken: after a
 * failure mid-stream nobody can know where the next frame starts.
 */
final class Connection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteBuf inbox = Unpooled.buffer(ProtocolLimits.MAX_BODY_BYTES + 64);
  private final ByteBuf outbox = Unpooled.buffer(4096);
  private final String peer;
  private boolean broken;

  private Connection(Socket socket, String peer) throws IOException {
    this.socket = socket;
    this.peer = peer;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static Connection open(String host, int port, Duration connectTimeout, Duration readTimeout) {
    String peer = host + ":" + port;
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": unknown host");
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) readTimeout.toMillis());
      socket.setReceiveBufferSize(4 << 20);
      socket.setSendBufferSize(4 << 20);
      socket.connect(address, (int) connectTimeout.toMillis());
      return new Connection(socket, peer);
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": timed out");
    } catch (UnknownHostException e) {
      closeQuietly(socket);
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": unknown host");
    } catch (IOException e) {
      closeQuietly(socket);
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": " + reason(e));
    }
  }

  String peer() {
    return peer;
  }

  InetSocketAddress remoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  boolean isUsable() {
    return !broken && !socket.isClosed();
  }

  /** Queues a frame; it leaves with the next {@link #flush()} or data write. */
  void send(Message message) {
    FrameCodec.encode(message, outbox);
  }

  void flush() {
    if (!outbox.isReadable()) {
      return;
    }
    try {
      out.write(
          outbox.array(), outbox.arrayOffset() + outbox.readerIndex(), outbox.readableBytes());
      outbox.clear();
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Writes raw file data, after any queued frames. */
  void writeData(byte[] bytes, int offset, int length) {
    flush();
    try {
      out.write(bytes, offset, length);
    } catch (IOException e) {
      throw lost(e);
    }
  }

  Message receive() {
    flush();
    try {
      while (true) {
        Message message;
        try {
          message = FrameCodec.decode(inbox);
        } catch (FileshareException e) {
          broken = true;
          throw new FileshareException(
              ErrorCode.PROTOCOL_ERROR, "server " + peer + " sent a " + e.getMessage());
        }
        if (message != null) {
          return message;
        }
        inbox.discardReadBytes();
        int n = inbox.writeBytes(in, inbox.writableBytes());
        if (n < 0) {
          throw closedByPeer();
        }
      }
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Reads up to {@code max} bytes of raw file data into {@code into}; never returns 0. */
  int readData(byte[] into, int max) {
    try {
      if (inbox.isReadable()) {
        int n = Math.min(max, inbox.readableBytes());
        inbox.readBytes(into, 0, n);
        return n;
      }
      int n = in.read(into, 0, max);
      if (n < 0) {
        throw closedByPeer();
      }
      return n;
    } catch (IOException e) {
      throw lost(e);
    }
  }

  /** Marks the stream out of step (an upload or download stopped midway); it must be closed. */
  void markBroken() {
    broken = true;
  }

  private FileshareException closedByPeer() {
    broken = true;
    return new FileshareException(
        ErrorCode.CONNECTION_LOST, "connection to " + peer + " closed by the server");
  }

  private FileshareException lost(IOException e) {
    broken = true;
    if (e instanceof SocketTimeoutException) {
      return new FileshareException(
          ErrorCode.TIMEOUT, "server " + peer + " did not answer in time", e);
    }
    return new FileshareException(
        ErrorCode.CONNECTION_LOST, "connection to " + peer + " lost: " + reason(e), e);
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing left to do with a socket that fails to close.
    }
  }
}
