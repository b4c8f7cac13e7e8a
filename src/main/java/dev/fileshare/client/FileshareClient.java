package dev.fileshare.client;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Hex;
import dev.fileshare.protocol.Message;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.storage.FileNames;
import dev.fileshare.storage.PendingFile;
import dev.fileshare.storage.ReadableFile;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A connection to one fileshare server, used by the console and the one-shot commands alike. Every
 * failure is a {@link FileshareException}; after a recoverable one (a missing file, a refused name)
 * the client stays connected and usable.
 */
public final class FileshareClient implements AutoCloseable {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final int CHUNK_BYTES = 1 << 20;
  private static final String AGENT = "fileshare-java/1";

  private final Connection connection;
  private final String serverName;
  private final int version;

  /** Direct, so that file data goes from socket to file without a copy through the heap. */
  private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);

  private FileshareClient(Connection connection, String serverName, int version) {
    this.connection = connection;
    this.serverName = serverName;
    this.version = version;
  }

  public static FileshareClient connect(String host, int port) {
    return connect(host, port, CONNECT_TIMEOUT, READ_TIMEOUT);
  }

  public static FileshareClient connect(
      String host, int port, Duration connectTimeout, Duration readTimeout) {
    Connection connection = Connection.open(host, port, connectTimeout, readTimeout);
    try {
      connection.send(new Message.Hello(ProtocolLimits.VERSION, AGENT));
      Message reply = connection.receive();
      if (reply instanceof Message.Welcome welcome) {
        return new FileshareClient(connection, welcome.serverName(), welcome.version());
      }
      throw unexpected(connection, reply, "WELCOME");
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  public String serverName() {
    return serverName;
  }

  public int protocolVersion() {
    return version;
  }

  /** host:port as given when connecting. */
  public String peer() {
    return connection.peer();
  }

  public boolean isConnected() {
    return connection.isUsable();
  }

  public List<FileInfo> list() {
    connection.send(new Message.ListRequest());
    List<FileInfo> files = new ArrayList<>();
    while (true) {
      Message reply = connection.receive();
      if (reply instanceof Message.ListEntries entries) {
        files.addAll(entries.entries());
      } else if (reply instanceof Message.ListEnd) {
        return files;
      } else {
        throw unexpected(reply, "ENTRIES or END");
      }
    }
  }

  /**
   * Downloads {@code name} into {@code destination}: into a hidden temporary file, verified against
   * the server's digest, flushed, then renamed into place. With {@link WriteMode#NO_CLOBBER} an
   * existing local file is never replaced.
   */
  public TransferResult get(
      String name, SharedDirectory destination, WriteMode mode, TransferListener listener) {
    FileNames.requireValid(name);
    if (mode == WriteMode.NO_CLOBBER && java.nio.file.Files.exists(destination.resolve(name))) {
      throw alreadyExists(name);
    }
    long start = System.nanoTime();
    // Everything that can fail locally fails before the request, so that a refusal here never
    // leaves a reply unread on the connection.
    PendingFile file = destination.create(name);
    try {
      connection.send(new Message.GetRequest(name));
      Message reply = connection.receive();
      if (!(reply instanceof Message.FileHeader header)) {
        throw unexpected(reply, "FILE");
      }
      listener.started(name, header.size());
      FileshareException localFailure = receiveData(header.size(), file, listener);
      Message.Digest digest = expectDigest();
      if (localFailure != null) {
        throw localFailure;
      }
      file.commit(digest.sha256(), header.modifiedMillis(), mode);
      TransferResult result =
          new TransferResult(
              TransferResult.Direction.DOWNLOAD,
              name,
              header.size(),
              Duration.ofNanos(System.nanoTime() - start),
              Hex.format(file.digest()));
      listener.finished(result);
      return result;
    } catch (RuntimeException e) {
      file.abort();
      listener.failed();
      throw e;
    }
  }

  /**
   * Reads the announced bytes into {@code file}. A local write failure (a full disk) does not stop
   * the reading, so the connection stays in step; it is returned, to be thrown after the digest.
   */
  private FileshareException receiveData(long size, PendingFile file, TransferListener listener) {
    FileshareException localFailure = null;
    long done = 0;
    while (done < size) {
      fill(size - done);
      int n = chunk.remaining();
      if (localFailure == null) {
        try {
          file.write(chunk);
        } catch (FileshareException e) {
          localFailure = e;
          file.abort();
        }
      }
      done += n;
      listener.progressed(done);
    }
    return localFailure;
  }

  /**
   * Reads the next bytes of file data into {@link #chunk}, ready to drain: as many as arrive until
   * it is at least half full (large writes are cheaper) or {@code left} are in.
   */
  private void fill(long left) {
    chunk.clear();
    int want = (int) Math.min(chunk.capacity(), left);
    chunk.limit(want);
    while (chunk.position() < Math.min(want, chunk.capacity() / 2)) {
      connection.readData(chunk);
    }
    chunk.flip();
  }

  private Message.Digest expectDigest() {
    Message trailer = connection.receive();
    if (trailer instanceof Message.Digest digest) {
      return digest;
    }
    connection.markBroken();
    throw unexpected(trailer, "DIGEST");
  }

  /** Uploads {@code source} under its own name; the server verifies and publishes it atomically. */
  public TransferResult put(ReadableFile source, TransferListener listener) {
    String name = FileNames.requireValid(source.name());
    long size = source.size();
    long start = System.nanoTime();
    listener.started(name, size);
    connection.send(new Message.PutRequest(name, size, source.modifiedMillis()));
    // Hashing reads the file beside the kernel's sending of it; both come from the page cache.
    CompletableFuture<byte[]> hashing = source.computeDigestAsync();
    long done = 0;
    try {
      while (done < size) {
        long n = connection.sendFile(source.channel(), done, size - done);
        if (n <= 0) {
          connection.markBroken();
          throw new FileshareException(
              ErrorCode.LOCAL_IO, name + " shrank while being sent; upload abandoned");
        }
        done += n;
        listener.progressed(done);
      }
    } catch (RuntimeException e) {
      hashing.cancel(false);
      listener.failed();
      throw e;
    }
    byte[] digest;
    try {
      digest = hashing.join();
    } catch (CompletionException e) {
      connection.markBroken();
      listener.failed();
      throw e.getCause() instanceof FileshareException f
          ? new FileshareException(ErrorCode.LOCAL_IO, f.getMessage(), f)
          : e;
    }
    connection.send(new Message.Digest(digest));
    Message reply;
    try {
      reply = connection.receive();
    } catch (RuntimeException e) {
      listener.failed();
      throw e;
    }
    if (!(reply instanceof Message.Stored)) {
      listener.failed();
      throw unexpected(reply, "STORED");
    }
    TransferResult result =
        new TransferResult(
            TransferResult.Direction.UPLOAD,
            name,
            size,
            Duration.ofNanos(System.nanoTime() - start),
            Hex.format(digest));
    listener.finished(result);
    return result;
  }

  /** Says goodbye and closes; quietly, since the user is leaving either way. */
  public void bye() {
    try {
      if (connection.isUsable()) {
        connection.send(new Message.ByeRequest());
        connection.receive();
      }
    } catch (FileshareException ignored) {
      // The server may already be gone; leaving is still done.
    } finally {
      connection.close();
    }
  }

  @Override
  public void close() {
    connection.close();
  }

  private FileshareException unexpected(Message reply, String expected) {
    return unexpected(connection, reply, expected);
  }

  private static FileshareException unexpected(
      Connection connection, Message reply, String expected) {
    if (reply instanceof Message.ErrorReply error) {
      if (error.code().isFatal()) {
        connection.markBroken();
      }
      return new FileshareException(error.code(), error.message());
    }
    connection.markBroken();
    return new FileshareException(
        ErrorCode.PROTOCOL_ERROR,
        "server "
            + connection.peer()
            + " sent "
            + reply.type()
            + " where "
            + expected
            + " was due");
  }

  private static FileshareException alreadyExists(String name) {
    return new FileshareException(
        ErrorCode.ALREADY_EXISTS, name + " already exists locally (use --force to overwrite)");
  }
}
