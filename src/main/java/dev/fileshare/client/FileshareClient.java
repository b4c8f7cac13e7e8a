package dev.fileshare.client;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.protocol.VersionNegotiation;
import dev.fileshare.storage.PendingFile;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A connection to one fileshare server, used by the console and the one-shot commands alike. Every
 * failure is a {@link FileshareException}; after a recoverable one (a missing file, a refused name)
 * the client stays connected and usable.
 */
public final class FileshareClient implements AutoCloseable {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final int CHUNK_BYTES = 4 << 20;
  private static final String AGENT = "fileshare-java/1";

  private final Connection connection;
  private final String serverName;
  private final int version;
  private final int access;
  private final PasswordSource passwords;
  private boolean authenticated;

  /**
   * Direct, so that file data goes from socket to file without a copy through the heap; two, so
   * that one is read from the socket while the other is written; aligned to 4 KiB, so that a large
   * file's blocks can go to the disk straight from them (O_DIRECT).
   */
  private final ByteBuffer[] buffers = {
    PendingFile.alignedBuffer(CHUNK_BYTES), PendingFile.alignedBuffer(CHUNK_BYTES)
  };

  /** Writes downloaded data while the next is read; a daemon thread, made on first need. */
  private ExecutorService writer;

  private FileshareClient(
      Connection connection, Message.Welcome welcome, PasswordSource passwords) {
    this.connection = connection;
    this.serverName = welcome.serverName();
    this.version = welcome.version();
    this.access = welcome.access();
    this.passwords = passwords;
  }

  public static FileshareClient connect(String host, int port) {
    return connect(host, port, CONNECT_TIMEOUT, READ_TIMEOUT);
  }

  /** Connects by TLS, checking the server's certificate against the policy's pins. */
  public static FileshareClient connect(String host, int port, TlsPolicy tls) {
    return connect(host, port, CONNECT_TIMEOUT, READ_TIMEOUT, tls);
  }

  public static FileshareClient connect(
      String host, int port, Duration connectTimeout, Duration readTimeout) {
    return connect(host, port, connectTimeout, readTimeout, null);
  }

  /**
   * @param tls null for plain TCP
   */
  public static FileshareClient connect(
      String host, int port, Duration connectTimeout, Duration readTimeout, TlsPolicy tls) {
    return connect(host, port, connectTimeout, readTimeout, tls, PasswordSource.NONE);
  }

  /**
   * Connects, and gives the password at once if the server needs it for everything (for a server
   * that needs it only to put, when the first put comes).
   *
   * @param tls null for plain TCP
   */
  public static FileshareClient connect(
      String host,
      int port,
      Duration connectTimeout,
      Duration readTimeout,
      TlsPolicy tls,
      PasswordSource passwords) {
    Connection connection = Connection.open(host, port, connectTimeout, readTimeout, tls);
    try {
      connection.send(new Message.Hello(ProtocolLimits.VERSION, AGENT));
      Message reply = connection.receive();
      if (reply instanceof Message.Welcome welcome) {
        FileshareClient client = new FileshareClient(connection, welcome, passwords);
        if (welcome.access() == Message.Welcome.ACCESS_PASSWORD) {
          client.authenticate();
        }
        return client;
      }
      if (reply instanceof Message.ErrorReply error && error.code() == ErrorCode.TLS_MISMATCH) {
        connection.markBroken();
        throw new FileshareException(
            ErrorCode.TLS_MISMATCH,
            "server "
                + connection.peer()
                + " uses TLS; connect without --plain (a --plain client talks only to a --plain"
                + " server)");
      }
      throw unexpected(connection, reply, "WELCOME");
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** Whether the server needs a password for some commands (all, or put only). */
  public boolean needsPassword() {
    return access != Message.Welcome.ACCESS_OPEN;
  }

  /** Gives the password; a wrong one ends the connection (the server closes it). */
  private void authenticate() {
    String password = passwords.password(connection.peer());
    if (password == null) {
      throw new FileshareException(
          ErrorCode.AUTH_FAILED,
          "authentication failed: server "
              + connection.peer()
              + " needs a password: set FILESHARE_PASSWORD, give --password-file FILE, or run on"
              + " a terminal to be asked");
    }
    connection.send(new Message.Auth(password));
    Message reply = connection.receive();
    if (reply instanceof Message.AuthOk) {
      authenticated = true;
      return;
    }
    if (reply instanceof Message.ErrorReply error && error.code() == ErrorCode.AUTH_FAILED) {
      connection.markBroken();
      passwords.rejected(connection.peer());
      throw new FileshareException(
          ErrorCode.AUTH_FAILED,
          "authentication failed at server " + connection.peer() + ": " + error.message());
    }
    throw unexpected(reply, "AUTH_OK");
  }

  /** Before uploads to a server that needs the password only to put. */
  private void authenticateToPut() {
    if (access == Message.Welcome.ACCESS_PASSWORD_TO_PUT && !authenticated) {
      authenticate();
    }
  }

  public String serverName() {
    return serverName;
  }

  public int protocolVersion() {
    return version;
  }

  /** How file data is verified both ways: SHA-256 with servers of version 2 and older. */
  private DigestAlgorithm digestAlgorithm() {
    return VersionNegotiation.digestAlgorithm(version);
  }

  /** host:port as given when connecting. */
  public String peer() {
    return connection.peer();
  }

  /** Whether the connection is encrypted (TLS). */
  public boolean encrypted() {
    return connection.encrypted();
  }

  public boolean isConnected() {
    return connection.isUsable();
  }

  /**
   * Whether the server ended this connection on its own since the last command (it closes idle
   * connections); checked without waiting. An ended client is no longer connected.
   */
  public boolean endedByServer() {
    return connection.endedByServer();
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
    return single(
        failures -> getAll(List.of(name), destination, mode, failures.wrapping(listener)));
  }

  /**
   * Downloads each of {@code names} as {@link #get} does, over this one connection without a round
   * trip per file. A file that fails (missing, refused, corrupt) is reported to the listener and
   * the rest go on; a lost connection ends the batch, reporting the files not attempted.
   *
   * @return the files downloaded, in order
   */
  public List<TransferResult> getAll(
      List<String> names, SharedDirectory destination, WriteMode mode, BatchListener listener) {
    return new DownloadBatch(
            connection, destination, mode, digestAlgorithm(), listener, buffers, writer())
        .run(names);
  }

  /** Uploads {@code source} under its own name; the server verifies and publishes it atomically. */
  public TransferResult put(Path source, TransferListener listener) {
    return single(failures -> putAll(List.of(source), failures.wrapping(listener)));
  }

  /**
   * Uploads each of {@code sources} under its own name, over this one connection without waiting
   * for each answer. Failures are reported as {@link #getAll} does.
   *
   * @return the files uploaded and confirmed by the server, in order
   */
  public List<TransferResult> putAll(List<Path> sources, BatchListener listener) {
    authenticateToPut();
    return new UploadBatch(connection, digestAlgorithm(), listener).run(sources);
  }

  /** Runs a batch of one and turns its failure back into an exception. */
  private static TransferResult single(Function<FirstFailure, List<TransferResult>> batch) {
    FirstFailure failures = new FirstFailure();
    List<TransferResult> done = batch.apply(failures);
    if (failures.error != null) {
      throw failures.error;
    }
    return done.get(0);
  }

  /** Keeps the first failure of a batch of one. */
  private static final class FirstFailure {
    private FileshareException error;

    BatchListener wrapping(TransferListener listener) {
      return BatchListener.of(
          listener,
          e -> {
            if (error == null) {
              error = e;
            }
          });
    }
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
      close();
    }
  }

  private ExecutorService writer() {
    if (writer == null) {
      writer =
          Executors.newSingleThreadExecutor(
              task -> {
                Thread thread = new Thread(task, "fileshare-writer");
                thread.setDaemon(true);
                return thread;
              });
    }
    return writer;
  }

  @Override
  public void close() {
    connection.close();
    if (writer != null) {
      writer.shutdown();
    }
  }

  private FileshareException unexpected(Message reply, String expected) {
    return unexpected(connection, reply, expected);
  }

  static FileshareException unexpected(Connection connection, Message reply, String expected) {
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

  static FileshareException alreadyExists(String name) {
    return new FileshareException(
        ErrorCode.ALREADY_EXISTS, name + " already exists locally (use --force to overwrite)");
  }
}
