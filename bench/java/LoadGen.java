import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the fileshare server: many keep-alive connections from one process, each
 * sending HELLO once and then GET of one file over and over, for a fixed time. Written against
 * PROTOCOL.md directly (plain NIO, no Netty), so it is an independent client.
 *
 * <p>Every response is checked: the FILE header must announce the expected size, exactly that many
 * bytes are read (into a reusable buffer, counted), and the DIGEST frame must carry the file's
 * SHA-256. The data of the first response on each connection is also hashed and compared.
 *
 * <p>Usage: {@code LoadGen --port P --name NAME --file LOCAL_COPY [--host 127.0.0.1]
 * [--connections 200] [--seconds 10] [--threads 2]}
 *
 * <p>Prints one line: {@code RESULT requests=N bytes=B seconds=S errors=E connections=C
 * verified=V}; exits 1 if anything failed.
 */
public final class LoadGen {
  static final int HELLO = 0x01;
  static final int GET = 0x03;
  static final int DIGEST = 0x10;
  static final int WELCOME = 0x81;
  static final int FILE = 0x84;
  static final int ERROR = 0xFF;
  static final int HEADER_BYTES = 5;
  static final int MAX_BODY = 65_536;

  final AtomicLong requests = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong verified = new AtomicLong();
  final long expectedSize;
  final byte[] expectedDigest;
  final byte[] getFrame;

  LoadGen(long expectedSize, byte[] expectedDigest, byte[] getFrame) {
    this.expectedSize = expectedSize;
    this.expectedDigest = expectedDigest;
    this.getFrame = getFrame;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    String host = opt.getOrDefault("host", "127.0.0.1");
    int port = Integer.parseInt(required(opt, "port"));
    String name = required(opt, "name");
    Path file = Path.of(required(opt, "file"));
    int connections = Integer.parseInt(opt.getOrDefault("connections", "200"));
    double seconds = Double.parseDouble(opt.getOrDefault("seconds", "10"));
    int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));

    LoadGen gen = new LoadGen(Files.size(file), sha256(file), frame(GET, string(name)));
    InetSocketAddress address = new InetSocketAddress(host, port);
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      conns.add(gen.open(address));
    }
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Conn> mine = new ArrayList<>();
      for (int i = t; i < conns.size(); i += threads) {
        mine.add(conns.get(i));
      }
      Thread worker = new Thread(() -> gen.drive(mine, deadline), "loadgen-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Conn c : conns) {
      c.channel.close();
    }
    System.out.printf(
        "RESULT requests=%d bytes=%d seconds=%.3f errors=%d connections=%d verified=%d%n",
        gen.requests.get(),
        gen.bytes.get(),
        elapsed,
        gen.errors.get(),
        connections,
        gen.verified.get());
    boolean ok =
        gen.errors.get() == 0 && gen.requests.get() > 0 && gen.verified.get() == connections;
    System.exit(ok ? 0 : 1);
  }

  /** Connects, says HELLO and waits for WELCOME (blocking), then hands back a non-blocking conn. */
  Conn open(InetSocketAddress address) throws IOException {
    SocketChannel ch = SocketChannel.open(address);
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    byte[] agent = string("fileshare-bench-loadgen");
    ByteBuffer hello = ByteBuffer.allocate(4 + 2 + agent.length);
    hello.put("FSHR".getBytes(StandardCharsets.US_ASCII)).putShort((short) 1).put(agent);
    writeFully(ch, ByteBuffer.wrap(frame(HELLO, hello.array())));
    ByteBuffer header = readFully(ch, HEADER_BYTES);
    int type = header.get(0) & 0xFF;
    int length = header.getInt(1);
    if (length < 0 || length > MAX_BODY) {
      throw new IOException("bad frame length " + length);
    }
    ByteBuffer body = readFully(ch, length);
    if (type != WELCOME) {
      throw new IOException("expected WELCOME, got " + describe(type, body));
    }
    ch.configureBlocking(false);
    return new Conn(ch);
  }

  /** One worker thread: drives its connections until the deadline. */
  void drive(List<Conn> conns, long deadline) {
    ByteBuffer discard = ByteBuffer.allocateDirect(1 << 20);
    try (Selector selector = Selector.open()) {
      for (Conn c : conns) {
        c.sendGet(c.channel.register(selector, SelectionKey.OP_READ, c));
      }
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        selector.select(Math.max(1, left / 1_000_000));
        for (SelectionKey key : selector.selectedKeys()) {
          Conn c = (Conn) key.attachment();
          try {
            if (key.isValid() && key.isWritable()) {
              c.flush(key);
            }
            if (key.isValid() && key.isReadable()) {
              c.onReadable(key, discard, deadline);
            }
          } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            System.err.println("loadgen: connection failed: " + e);
            key.cancel();
            c.channel.close();
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      errors.incrementAndGet();
      System.err.println("loadgen: " + e);
    }
  }

  /** The state of one connection: which part of a response it is reading. */
  final class Conn {
    final SocketChannel channel;
    final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    ByteBuffer body;
    ByteBuffer out;
    long dataLeft = -1; // >= 0 while file data is being read
    boolean expectDigest;
    boolean firstResponse = true;
    MessageDigest hasher;
    long responseBytes;

    Conn(SocketChannel channel) {
      this.channel = channel;
    }

    /** Sends a GET; if the socket takes only part of it, the rest goes when it is writable. */
    void sendGet(SelectionKey key) throws IOException {
      out = ByteBuffer.wrap(getFrame);
      channel.write(out);
      if (out.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
      if (firstResponse) {
        hasher = newSha256();
      }
    }

    void flush(SelectionKey key) throws IOException {
      channel.write(out);
      if (!out.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ);
      }
    }

    void onReadable(SelectionKey key, ByteBuffer discard, long deadline) throws IOException {
      while (true) {
        if (dataLeft >= 0) {
          if (!readData(discard)) {
            return;
          }
          continue;
        }
        if (header.hasRemaining()) {
          if (!fill(header)) {
            return;
          }
          int length = header.getInt(1);
          if (length < 0 || length > MAX_BODY) {
            throw new IOException("bad frame length " + Integer.toUnsignedString(length));
          }
          body = ByteBuffer.allocate(length);
        }
        if (!fill(body)) {
          return;
        }
        int type = header.get(0) & 0xFF;
        header.clear();
        body.flip();
        if (onFrame(type, body) && System.nanoTime() - deadline < 0) {
          sendGet(key);
        }
      }
    }

    /** Handles one frame; true when a whole response has been received and checked. */
    boolean onFrame(int type, ByteBuffer frame) throws IOException {
      if (!expectDigest && type == FILE && frame.remaining() == 16) {
        long size = frame.getLong();
        if (size != expectedSize) {
          throw new IOException("FILE announces " + size + " bytes, expected " + expectedSize);
        }
        dataLeft = size;
        responseBytes = 0;
        return false;
      }
      if (expectDigest && type == DIGEST && frame.remaining() == 33 && frame.get() == 1) {
        byte[] digest = new byte[32];
        frame.get(digest);
        if (!Arrays.equals(digest, expectedDigest)) {
          throw new IOException("DIGEST frame does not match the file's SHA-256");
        }
        if (responseBytes != expectedSize) {
          throw new IOException("read " + responseBytes + " bytes, expected " + expectedSize);
        }
        if (firstResponse) {
          if (!Arrays.equals(hasher.digest(), expectedDigest)) {
            throw new IOException("received data does not hash to the file's SHA-256");
          }
          verified.incrementAndGet();
          firstResponse = false;
          hasher = null;
        }
        expectDigest = false;
        requests.incrementAndGet();
        return true;
      }
      throw new IOException("unexpected " + describe(type, frame));
    }

    /** Reads file data into the shared buffer, never past the end of the file; false on EAGAIN. */
    boolean readData(ByteBuffer discard) throws IOException {
      discard.clear();
      discard.limit((int) Math.min(dataLeft, discard.capacity()));
      int n = discard.limit() == 0 ? 0 : channel.read(discard);
      if (n < 0) {
        throw new EOFException("server closed the connection in the middle of file data");
      }
      if (n == 0 && dataLeft > 0) {
        return false;
      }
      if (hasher != null) {
        discard.flip();
        hasher.update(discard);
      }
      dataLeft -= n;
      responseBytes += n;
      bytes.addAndGet(n);
      if (dataLeft == 0) {
        dataLeft = -1;
        expectDigest = true;
      }
      return true;
    }

    boolean fill(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer);
        if (n < 0) {
          throw new EOFException("server closed the connection");
        }
        if (n == 0) {
          return false;
        }
      }
      return true;
    }
  }

  static String describe(int type, ByteBuffer body) {
    if (type == ERROR && body.remaining() >= 4) {
      int code = body.getShort() & 0xFFFF;
      byte[] text = new byte[Math.min(body.getShort() & 0xFFFF, body.remaining())];
      body.get(text);
      return "ERROR " + code + ": " + new String(text, StandardCharsets.UTF_8);
    }
    return String.format("frame 0x%02x of %d bytes", type, body.remaining());
  }

  static byte[] frame(int type, byte[] body) {
    return ByteBuffer.allocate(HEADER_BYTES + body.length)
        .put((byte) type)
        .putInt(body.length)
        .put(body)
        .array();
  }

  static byte[] string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length).put(utf8).array();
  }

  static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  static ByteBuffer readFully(SocketChannel ch, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new EOFException("server closed the connection");
      }
    }
    return b.flip();
  }

  static byte[] sha256(Path file) throws IOException {
    MessageDigest md = newSha256();
    md.update(Files.readAllBytes(file));
    return md.digest();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opt.put(args[i].substring(2), args[i + 1]);
    }
    return opt;
  }

  static String required(Map<String, String> opt, String key) {
    String v = opt.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }
}
