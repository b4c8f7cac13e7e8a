package dev.fileshare.integration;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.protocol.FrameCodec;
import dev.fileshare.protocol.Message;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.protocol.VersionNegotiation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A socket that speaks frames without the client's manners: for hostile and broken input. */
final class RawConnection implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteBuf inbox = Unpooled.buffer();

  RawConnection(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static RawConnection welcomed(int port) throws IOException {
    RawConnection c = new RawConnection(port);
    c.send(new Message.Hello(ProtocolLimits.VERSION, "raw-test"));
    if (!(c.receive() instanceof Message.Welcome)) {
      throw new IllegalStateException("no welcome");
    }
    return c;
  }

  /** The DIGEST frame for {@code data} on a connection that {@link #welcomed} opened. */
  static Message.Digest digestOf(byte[] data) {
    return digestOf(VersionNegotiation.digestAlgorithm(ProtocolLimits.VERSION), data);
  }

  static Message.Digest digestOf(DigestAlgorithm algorithm, byte[] data) {
    DigestAlgorithm.Hasher hasher = algorithm.newHasher();
    hasher.update(data, 0, data.length);
    return new Message.Digest(algorithm, hasher.finish());
  }

  void send(Message message) throws IOException {
    writeRaw(frame(message));
  }

  /** The bytes of one frame, for tests that write several requests in one go. */
  static byte[] frame(Message message) {
    ByteBuf buf = Unpooled.buffer();
    FrameCodec.encode(message, buf);
    return ByteBufs.toArray(buf);
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null if the server closed the connection. */
  Message receive() throws IOException {
    while (true) {
      Message m = FrameCodec.decode(inbox);
      if (m != null) {
        return m;
      }
      inbox.discardReadBytes();
      inbox.ensureWritable(64 * 1024);
      int n = inbox.writeBytes(in, inbox.writableBytes());
      if (n < 0) {
        return null;
      }
    }
  }

  /** Reads raw data bytes (after a FILE header). */
  byte[] readData(int size) throws IOException {
    byte[] data = new byte[size];
    int done = Math.min(size, inbox.readableBytes());
    inbox.readBytes(data, 0, done);
    while (done < size) {
      int n = in.read(data, done, size - done);
      if (n < 0) {
        throw new IOException("closed");
      }
      done += n;
    }
    return data;
  }

  /** True if the server closed the connection (EOF) within the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (inbox.isReadable()) {
          inbox.skipBytes(inbox.readableBytes());
        }
        int n = in.read(new byte[4096]);
        if (n < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Drops the connection with a TCP reset, as a killed process's kernel may. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static final class ByteBufs {
    static byte[] toArray(ByteBuf buf) {
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    }
  }
}
