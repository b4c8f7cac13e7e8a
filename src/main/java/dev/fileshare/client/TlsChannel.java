package dev.fileshare.client;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS over a blocking socket channel, driven by an {@link SSLEngine}: the client's counterpart of
 * Netty's SslHandler. Ciphertext moves in large direct buffers (many records per system call);
 * plaintext is unwrapped straight into the caller's buffer when it has room for a whole record.
 *
 * <p>Reads also work with the socket switched to non-blocking mode, returning 0 when no application
 * data is ready (TLS 1.3 session tickets arriving after the handshake are consumed without being
 * mistaken for data).
 */
final class TlsChannel implements ByteChannel {
  private static final int NET_BUFFER_BYTES = 256 << 10;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  /** TLS record content types: change_cipher_spec, alert, handshake, application_data. */
  private static final int FIRST_RECORD_TYPE = 20;

  private static final int LAST_RECORD_TYPE = 23;

  /** The server answered with bytes that are not TLS; what it sent is in {@link #received}. */
  static final class NotTlsException extends IOException {
    private final transient ByteBuffer received;

    NotTlsException(ByteBuffer received) {
      super("the server did not answer with TLS");
      this.received = received;
    }

    ByteBuffer received() {
      return received;
    }
  }

  private final SocketChannel socket;
  private final SSLEngine engine;
  private final ByteBuffer netIn; // read mode between calls
  private final ByteBuffer netOut; // write mode between calls
  private ByteBuffer appIn; // read mode between calls
  private final int appRecordBytes;
  private boolean inboundClosed;

  private TlsChannel(SocketChannel socket, SSLEngine engine) {
    this.socket = socket;
    this.engine = engine;
    int packet = engine.getSession().getPacketBufferSize();
    this.appRecordBytes = engine.getSession().getApplicationBufferSize();
    this.netIn = ByteBuffer.allocateDirect(Math.max(NET_BUFFER_BYTES, packet)).flip();
    this.netOut = ByteBuffer.allocateDirect(Math.max(NET_BUFFER_BYTES, 2 * packet));
    this.appIn = ByteBuffer.allocateDirect(appRecordBytes).flip();
  }

  /** Runs the handshake on a connected blocking socket. */
  static TlsChannel handshake(SocketChannel socket, SSLEngine engine) throws IOException {
    TlsChannel channel = new TlsChannel(socket, engine);
    channel.handshake();
    return channel;
  }

  private void handshake() throws IOException {
    engine.beginHandshake();
    HandshakeStatus status = engine.getHandshakeStatus();
    boolean firstRead = true;
    while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
      switch (status) {
        case NEED_WRAP -> {
          SSLEngineResult result = engine.wrap(EMPTY, netOut);
          flushNet();
          status = result.getHandshakeStatus();
          if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the server ended the TLS handshake");
          }
        }
        case NEED_TASK -> {
          runTasks();
          status = engine.getHandshakeStatus();
        }
        default -> { // NEED_UNWRAP, NEED_UNWRAP_AGAIN
          SSLEngineResult result = engine.unwrap(netIn, appIn.compact());
          appIn.flip();
          status = result.getHandshakeStatus();
          switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
              if (readNet() < 0) {
                throw new EOFException("the server closed the connection during the TLS handshake");
              }
              if (firstRead) {
                firstRead = false;
                checkLooksLikeTls();
              }
              status = engine.getHandshakeStatus();
            }
            case CLOSED -> throw new SSLException("the server ended the TLS handshake");
            case BUFFER_OVERFLOW -> {
              appIn = ByteBuffer.allocateDirect(appIn.capacity() * 2).flip();
            }
            default -> {
              if (result.bytesConsumed() == 0
                  && result.bytesProduced() == 0
                  && status == HandshakeStatus.NEED_UNWRAP) {
                if (readNet() < 0) {
                  throw new EOFException(
                      "the server closed the connection during the TLS handshake");
                }
                if (firstRead) {
                  firstRead = false;
                  checkLooksLikeTls();
                }
              }
            }
          }
        }
      }
    }
  }

  private void checkLooksLikeTls() throws NotTlsException {
    int type = netIn.get(netIn.position()) & 0xFF;
    if (type < FIRST_RECORD_TYPE || type > LAST_RECORD_TYPE) {
      ByteBuffer copy = ByteBuffer.allocate(netIn.remaining());
      copy.put(netIn.duplicate()).flip();
      throw new NotTlsException(copy);
    }
  }

  /** The server's certificate, as presented in the handshake. */
  X509Certificate peerCertificate() throws SSLPeerUnverifiedException {
    Certificate[] chain = engine.getSession().getPeerCertificates();
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
      throw new SSLPeerUnverifiedException("the server presented no X.509 certificate");
    }
    return certificate;
  }

  String protocolAndCipher() {
    return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (appIn.hasRemaining()) {
      return copyOut(dst);
    }
    if (inboundClosed) {
      return -1;
    }
    // Straight into the caller's buffer when a whole record fits; appIn is empty here.
    boolean viaAppIn = dst.remaining() < appRecordBytes;
    while (true) {
      if (!netIn.hasRemaining()) {
        int n = readNet();
        if (n <= 0) {
          return n;
        }
        continue;
      }
      ByteBuffer target = viaAppIn ? appIn.clear() : dst;
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, target);
      } finally {
        if (viaAppIn) {
          appIn.flip();
        }
      }
      switch (result.getStatus()) {
        case CLOSED -> {
          inboundClosed = true;
          return appIn.hasRemaining() ? copyOut(dst) : -1;
        }
        case BUFFER_OVERFLOW -> {
          // The engine wants more room than it announced: give it appIn, growing if need be.
          if (viaAppIn) {
            appIn = ByteBuffer.allocateDirect(appIn.capacity() * 2).flip();
          }
          viaAppIn = true;
          continue;
        }
        case BUFFER_UNDERFLOW -> {
          int n = readNet();
          if (n <= 0) {
            return n;
          }
          continue;
        }
        default -> {}
      }
      afterUnwrap(result.getHandshakeStatus());
      if (result.bytesProduced() > 0) {
        return viaAppIn ? copyOut(dst) : result.bytesProduced();
      }
      if (result.bytesConsumed() == 0) {
        // Nothing taken, nothing given: the engine waits for the rest of a record.
        int n = readNet();
        if (n <= 0) {
          return n;
        }
      }
      // Otherwise a record without data for us (a session ticket): read on.
    }
  }

  /** Handshake work a record can ask for after the handshake: a key update, say. */
  private void afterUnwrap(HandshakeStatus status) throws IOException {
    while (true) {
      switch (status) {
        case NEED_TASK -> {
          runTasks();
          status = engine.getHandshakeStatus();
        }
        case NEED_WRAP -> {
          status = engine.wrap(EMPTY, netOut).getHandshakeStatus();
          flushNet();
        }
        default -> {
          return;
        }
      }
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int total = src.remaining();
    while (src.hasRemaining()) {
      SSLEngineResult result = engine.wrap(src, netOut);
      switch (result.getStatus()) {
        case BUFFER_OVERFLOW -> flushNet();
        case CLOSED -> throw new SSLException("the TLS session is closed");
        default -> {
          if (netOut.remaining() < engine.getSession().getPacketBufferSize()) {
            flushNet();
          }
        }
      }
    }
    flushNet();
    return total;
  }

  private int copyOut(ByteBuffer dst) {
    int n = Math.min(dst.remaining(), appIn.remaining());
    ByteBuffer slice = appIn.slice();
    slice.limit(n);
    dst.put(slice);
    appIn.position(appIn.position() + n);
    return n;
  }

  /** Reads ciphertext after what is left; returns the socket's count (0 when non-blocking). */
  private int readNet() throws IOException {
    netIn.compact();
    try {
      return socket.read(netIn);
    } finally {
      netIn.flip();
    }
  }

  private void flushNet() throws IOException {
    netOut.flip();
    try {
      while (netOut.hasRemaining()) {
        socket.write(netOut);
      }
    } finally {
      netOut.compact();
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  /** Closes the socket; no close_notify, since every fileshare exchange is framed and counted. */
  @Override
  public void close() throws IOException {
    socket.close();
  }
}
