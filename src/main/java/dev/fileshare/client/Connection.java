package dev.fileshare.client;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.FrameCodec;
import dev.fileshare.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A blocking connection that speaks frames and raw file data, in plain TCP or TLS. File data moves
 * between the socket and direct buffers or files without passing through the Java heap; plain
 * uploads leave by sendfile(2).
 *
 * <p>Every I/O failure leaves here as a {@link FileshareException} with a connection code, and
 * marks the connection broken: after a failure mid-stream nobody can know where the next frame
 * starts. A call that waits longer than the read timeout for the server fails with TIMEOUT.
 */
final class Connection implements AutoCloseable {
  /** Sendfile calls are cut to this size, so that each one shows progress to the watchdog. */
  private static final long SEND_FILE_STEP = 1 << 20;

  private static final int SOCKET_BUFFER_BYTES = 4 << 20;

  /** Queued frames and small files leave together once this much has gathered. */
  private static final int OUTBOX_FLUSH_BYTES = 256 << 10;

  /** Room for several small files' frames and data per read. */
  private static final int INBOX_BYTES = 256 << 10;

  private final SocketChannel channel;

  /** What frames and data go through: the socket itself, or TLS over it. */
  private ByteChannel io;

  /** Uploads through TLS: file data read here, then encrypted; made on first need. */
  private ByteBuffer fileBuffer;

  private SSLEngine engine;
  private final StallWatchdog watchdog;
  private final ByteBuf inbox = Unpooled.directBuffer(INBOX_BYTES);
  private final ByteBuf outbox = Unpooled.directBuffer(OUTBOX_FLUSH_BYTES + 4096);
  private final String peer;
  private boolean broken;

  private Connection(SocketChannel channel, String peer, Duration readTimeout) {
    this.channel = channel;
    this.io = channel;
    this.peer = peer;
    this.watchdog = new StallWatchdog(readTimeout, this::abandon);
  }

  /**
   * Connects, and with a TLS policy runs the handshake and checks the server's certificate against
   * the policy's pins before anything else is sent.
   *
   * @param tls null for plain TCP
   */
  static Connection open(
      String host, int port, Duration connectTimeout, Duration readTimeout, TlsPolicy tls) {
    Connection connection = open(host, port, connectTimeout, readTimeout);
    if (tls == null) {
      return connection;
    }
    try {
      connection.startTls(host, port, tls);
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private void startTls(String host, int port, TlsPolicy tls) {
    SSLEngine engine = tls.context().newEngine(ByteBufAllocator.DEFAULT, host, port);
    TlsChannel tlsChannel;
    watchdog.begin();
    try {
      tlsChannel = TlsChannel.handshake(channel, engine);
    } catch (TlsChannel.NotTlsException e) {
      ReferenceCountUtil.release(engine);
      throw plainAnswer(e.received());
    } catch (IOException e) {
      ReferenceCountUtil.release(engine);
      if (watchdog.stalled()) {
        throw timedOut(e);
      }
      broken = true;
      throw new FileshareException(
          ErrorCode.TLS_FAILED, "TLS handshake with " + peer + " failed: " + reason(e), e);
    } finally {
      watchdog.end();
    }
    this.engine = engine;
    this.io = tlsChannel;
    try {
      tls.check(host, port, tlsChannel.peerCertificate());
    } catch (SSLPeerUnverifiedException e) {
      broken = true;
      throw new FileshareException(
          ErrorCode.TLS_FAILED, "server " + peer + " presented no certificate", e);
    }
  }

  /**
   * A TLS client met a server that answered in plain frames: a plain server turning it away, or a
   * refusal (busy) sent before the server looks at what the client speaks.
   */
  private FileshareException plainAnswer(ByteBuffer received) {
    broken = true;
    inbox.writeBytes(received);
    Message reply;
    try {
      reply = FrameCodec.decode(inbox);
    } catch (FileshareException e) {
      reply = null;
    }
    if (reply instanceof Message.ErrorReply error && error.code() != ErrorCode.TLS_MISMATCH) {
      return new FileshareException(error.code(), error.message());
    }
    if (reply instanceof Message.ErrorReply) {
      return new FileshareException(
          ErrorCode.TLS_MISMATCH,
          "server "
              + peer
              + " does not use TLS (it runs with --plain); connect with --plain to use it"
              + " without encryption");
    }
    return new FileshareException(
        ErrorCode.TLS_MISMATCH,
        "server " + peer + " did not answer with TLS; is it a fileshare server?");
  }

  /** Whether the connection is encrypted. */
  boolean encrypted() {
    return io != channel;
  }

  static Connection open(String host, int port, Duration connectTimeout, Duration readTimeout) {
    String peer = host + ":" + port;
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": unknown host");
    }
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.socket().connect(address, (int) connectTimeout.toMillis());
      return new Connection(channel, peer, readTimeout);
    } catch (SocketTimeoutException e) {
      closeQuietly(channel);
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": timed out");
    } catch (UnknownHostException e) {
      closeQuietly(channel);
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": unknown host");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "cannot connect to " + peer + ": " + reason(e));
    }
  }

  String peer() {
    return peer;
  }

  InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.socket().getRemoteSocketAddress();
  }

  boolean isUsable() {
    return !broken && channel.isOpen();
  }

  /** Queues a frame; it leaves with the next {@link #flush()}, receive or data write. */
  void send(Message message) {
    FrameCodec.encode(message, outbox);
  }

  /** Queues raw file data after the queued frames; it leaves with them. */
  void sendData(ByteBuffer data) {
    outbox.writeBytes(data);
    if (outbox.readableBytes() >= OUTBOX_FLUSH_BYTES) {
      flush();
    }
  }

  void flush() {
    if (!outbox.isReadable()) {
      return;
    }
    writeFully(outbox.nioBuffer());
    outbox.clear();
  }

  /**
   * Sends up to {@code count} bytes of {@code file} from {@code position}, after any queued frames,
   * by sendfile(2).
   *
   * @return the bytes sent: at least 1, or 0 if the file ends before {@code position}
   */
  long sendFile(FileChannel file, long position, long count) {
    flush();
    if (encrypted()) {
      return sendFileEncrypted(file, position, count);
    }
    watchdog.begin();
    try {
      return file.transferTo(position, Math.min(count, SEND_FILE_STEP), channel);
    } catch (IOException e) {
      throw lost(e);
    } finally {
      watchdog.end();
    }
  }

  private long sendFileEncrypted(FileChannel file, long position, long count) {
    if (fileBuffer == null) {
      fileBuffer = ByteBuffer.allocateDirect((int) SEND_FILE_STEP);
    }
    fileBuffer.clear().limit((int) Math.min(count, SEND_FILE_STEP));
    int n;
    try {
      n = file.read(fileBuffer, position);
    } catch (IOException e) {
      throw lost(e);
    }
    if (n <= 0) {
      return 0;
    }
    writeFully(fileBuffer.flip());
    return n;
  }

  Message receive() {
    flush();
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
      watchdog.begin();
      try {
        if (fill() < 0) {
          throw closedByPeer();
        }
      } catch (IOException e) {
        throw lost(e);
      } finally {
        watchdog.end();
      }
    }
  }

  /**
   * Reads raw file data into {@code into}, at most its remaining space; returns how many bytes,
   * never 0.
   */
  int readData(ByteBuffer into) {
    if (inbox.isReadable()) {
      int n = Math.min(into.remaining(), inbox.readableBytes());
      ByteBuffer slice = into.slice();
      slice.limit(n);
      inbox.readBytes(slice);
      into.position(into.position() + n);
      return n;
    }
    watchdog.begin();
    try {
      int n = io.read(into);
      if (n < 0) {
        throw closedByPeer();
      }
      return n;
    } catch (IOException e) {
      throw lost(e);
    } finally {
      watchdog.end();
    }
  }

  /**
   * Whether the server has ended the connection on its own while nothing was asked: it closed it,
   * or sent something unasked, which can only be an ERROR before closing (an idle timeout). Looks
   * without waiting; a connection found ended is marked broken.
   */
  boolean endedByServer() {
    if (broken || !channel.isOpen()) {
      return true;
    }
    try {
      channel.configureBlocking(false);
      try {
        int n = fill();
        if (n != 0) {
          broken = true;
          return true;
        }
        return false;
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException e) {
      broken = true;
      return true;
    }
  }

  /** Reads what the socket has into the inbox; -1 at the end of the stream. */
  private int fill() throws IOException {
    ByteBuffer space = inbox.nioBuffer(inbox.writerIndex(), inbox.writableBytes());
    int n = io.read(space);
    if (n > 0) {
      inbox.writerIndex(inbox.writerIndex() + n);
    }
    return n;
  }

  /** Marks the stream out of step (an upload or download stopped midway); it must be closed. */
  void markBroken() {
    broken = true;
  }

  private void writeFully(ByteBuffer buffer) {
    watchdog.begin();
    try {
      while (buffer.hasRemaining()) {
        io.write(buffer);
      }
    } catch (IOException e) {
      throw lost(e);
    } finally {
      watchdog.end();
    }
  }

  private FileshareException closedByPeer() {
    broken = true;
    if (watchdog.stalled()) {
      // Netty reports a read on a channel closed under it as the end of the stream.
      return timedOut(null);
    }
    return new FileshareException(
        ErrorCode.CONNECTION_LOST, "connection to " + peer + " closed by the server");
  }

  private FileshareException lost(IOException e) {
    broken = true;
    if (watchdog.stalled()) {
      return timedOut(e);
    }
    return new FileshareException(
        ErrorCode.CONNECTION_LOST, "connection to " + peer + " lost: " + reason(e), e);
  }

  private FileshareException timedOut(IOException cause) {
    return new FileshareException(
        ErrorCode.TIMEOUT, "server " + peer + " did not answer in time", cause);
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    watchdog.close();
    closeQuietly();
    if (engine != null) {
      // The BoringSSL engine holds native memory until released.
      ReferenceCountUtil.release(engine);
      engine = null;
    }
    if (inbox.refCnt() > 0) {
      inbox.release();
      outbox.release();
    }
  }

  private void closeQuietly() {
    closeQuietly(channel);
  }

  /**
   * Ends a stalled connection from the watchdog's thread. Shutting the socket down first wakes a
   * thread blocked in sendfile, which a close alone does not on every JDK (17 does not).
   */
  private void abandon() {
    try {
      channel.shutdownInput();
      channel.shutdownOutput();
    } catch (IOException ignored) {
      // Closing below is what matters.
    }
    closeQuietly();
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing left to do with a socket that fails to close.
    }
  }
}
