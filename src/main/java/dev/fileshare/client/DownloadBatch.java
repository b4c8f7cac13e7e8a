package dev.fileshare.client;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Hex;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.FileNames;
import dev.fileshare.storage.PendingFile;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Downloads many files over one connection without a round trip each: up to {@link #WINDOW} GET
 * requests are on the wire ahead of the file being received, and received files are committed in
 * groups (see {@link PendingFile#commitAsync}) while the next ones arrive. A file is reported done
 * only once it is verified, on disk and under its name.
 */
final class DownloadBatch {
  /** Requests sent ahead of the answer being read. */
  static final int WINDOW = 32;

  /** Files verified and waiting for their group commit; bounds the open files. */
  static final int MAX_COMMITTING = 256;

  /**
   * From this many names, the destination is read once (if it is small) instead of each name being
   * looked up before its request.
   */
  static final int NAMES_TO_READ_DESTINATION = 16;

  /** A GET on the wire, or a local refusal (nothing sent) waiting for the answers before it. */
  private record Requested(
      String name, PendingFile file, long startNanos, FileshareException failure) {}

  /**
   * A file being committed, or a failure waiting for the commits before it: every file's outcome is
   * reported in request order.
   */
  private record Committing(
      String name, long size, long startNanos, CompletableFuture<Path> done, PendingFile file) {
    static Committing failed(String name, FileshareException failure) {
      return new Committing(name, 0, 0, CompletableFuture.failedFuture(failure), null);
    }
  }

  private final Connection connection;
  private final SharedDirectory destination;
  private final WriteMode mode;
  private final DigestAlgorithm digestAlgorithm;
  private final BatchListener listener;
  private final ByteBuffer[] buffers;
  private final ExecutorService writer;
  private final ArrayDeque<Requested> requested = new ArrayDeque<>();
  private final ArrayDeque<Committing> committing = new ArrayDeque<>();
  private final List<TransferResult> results = new ArrayList<>();

  /** The destination's names when the batch started, or null to look each name up. */
  private Set<String> present;

  DownloadBatch(
      Connection connection,
      SharedDirectory destination,
      WriteMode mode,
      DigestAlgorithm digestAlgorithm,
      BatchListener listener,
      ByteBuffer[] buffers,
      ExecutorService writer) {
    this.connection = connection;
    this.destination = destination;
    this.mode = mode;
    this.digestAlgorithm = digestAlgorithm;
    this.listener = listener;
    this.buffers = buffers;
    this.writer = writer;
  }

  List<TransferResult> run(List<String> names) {
    if (names.size() >= NAMES_TO_READ_DESTINATION) {
      present = destination.presentNames(names.size());
    }
    int next = 0;
    try {
      while (next < names.size() || !requested.isEmpty()) {
        // Topped up in bunches, once half the window is answered: one write and one wake-up of
        // the server for many requests, instead of one each.
        if (requested.size() <= WINDOW / 2) {
          while (next < names.size() && requested.size() < WINDOW) {
            request(names.get(next++));
          }
        }
        if (!requested.isEmpty()) {
          receive(requested.poll());
        }
        reportCommitted(false);
      }
    } catch (FileshareException e) {
      // The connection is gone: nothing more can arrive.
      abandon(names.subList(next, names.size()));
    } finally {
      reportCommitted(true);
    }
    return results;
  }

  /** Checks locally what can be checked, then asks; a local refusal sends nothing. */
  private void request(String name) {
    PendingFile file;
    try {
      file = destination.create(name, mode, digestAlgorithm, present);
    } catch (FileshareException e) {
      // Reported in its turn, once the requests before it are answered (see receive).
      requested.add(new Requested(name, null, 0, toldLocally(name, e)));
      return;
    }
    connection.send(new Message.GetRequest(name));
    requested.add(new Requested(name, file, System.nanoTime(), null));
  }

  /** {@code e}, or for a name already taken here, the message that says it is a local file. */
  private static FileshareException toldLocally(String name, FileshareException e) {
    return e.code() == ErrorCode.ALREADY_EXISTS ? FileshareClient.alreadyExists(name) : e;
  }

  /** The connection is gone: the files before it are reported first, then the failure. */
  private void failFatally(FileshareException e) {
    reportCommitted(true);
    listener.failed(e);
  }

  /** Reports a failure now, or after the files before it that are still being committed. */
  private void failInOrder(String name, FileshareException e) {
    if (committing.isEmpty()) {
      listener.failed(e);
    } else {
      committing.add(Committing.failed(name, e));
    }
  }

  private void receive(Requested r) {
    if (r.failure() != null) {
      failInOrder(r.name(), r.failure());
      return;
    }
    Message reply;
    try {
      reply = connection.receive();
    } catch (FileshareException e) {
      r.file().abort();
      failFatally(e);
      throw e;
    }
    if (!(reply instanceof Message.FileHeader header)) {
      r.file().abort();
      FileshareException e = FileshareClient.unexpected(connection, reply, "FILE");
      if (!connection.isUsable()) {
        failFatally(e);
        throw e;
      }
      failInOrder(r.name(), e);
      return;
    }
    listener.started(r.name(), header.size());
    if (header.size() >= PendingFile.DIRECT_MIN_BYTES) {
      r.file().bypassPageCache();
    }
    FileshareException localFailure;
    Message.Digest digest;
    try {
      localFailure = receiveData(header.size(), r.file());
      digest = expectDigest();
    } catch (FileshareException e) {
      r.file().abort();
      listener.failed();
      failFatally(e);
      throw e;
    }
    listener.dataDone();
    if (localFailure != null) {
      failInOrder(r.name(), localFailure);
      return;
    }
    if (committing.size() >= MAX_COMMITTING) {
      reportOldest();
    }
    committing.add(
        new Committing(
            r.name(),
            header.size(),
            r.startNanos(),
            r.file().commitAsync(digest.value(), header.modifiedMillis(), mode),
            r.file()));
  }

  /**
   * Reads the announced bytes into {@code file}. Two buffers take turns: while one is written (and
   * hashed) on the writer thread, the next is read from the socket. A local write failure (a full
   * disk) does not stop the reading, so the connection stays in step; it is returned, to be
   * reported after the digest.
   */
  private FileshareException receiveData(long size, PendingFile file) {
    Writing writing = new Writing(file);
    long done = 0;
    int turn = 0;
    while (done < size) {
      ByteBuffer buffer = buffers[turn];
      fill(buffer, size - done);
      int n = buffer.remaining();
      // The other buffer's write must be over: the file takes one write at a time, in order.
      writing.await();
      if (size <= buffer.capacity()) {
        writing.writeHere(buffer);
      } else {
        writing.start(buffer, writer);
      }
      done += n;
      listener.progressed(done);
      turn ^= 1;
    }
    writing.await();
    return writing.failure;
  }

  /** The write in flight for one file, and the first failure of its writes. */
  private static final class Writing {
    private final PendingFile file;
    private Future<?> inFlight;
    private FileshareException failure;

    Writing(PendingFile file) {
      this.file = file;
    }

    void start(ByteBuffer buffer, ExecutorService writer) {
      if (failure == null) {
        inFlight = writer.submit(() -> file.write(buffer));
      }
    }

    void writeHere(ByteBuffer buffer) {
      if (failure == null) {
        try {
          file.write(buffer);
        } catch (FileshareException e) {
          failure = e;
        }
      }
    }

    void await() {
      if (inFlight == null) {
        return;
      }
      try {
        inFlight.get();
      } catch (ExecutionException e) {
        failure =
            e.getCause() instanceof FileshareException f
                ? f
                : new FileshareException(ErrorCode.LOCAL_IO, "cannot write " + file.name(), e);
        file.abort();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        file.abort();
        failure = new FileshareException(ErrorCode.LOCAL_IO, "interrupted writing " + file.name());
      } finally {
        inFlight = null;
      }
    }
  }

  /**
   * Reads the next bytes of file data into {@code buffer}, ready to drain: until it is full or
   * {@code left} are in. Full buffers (a multiple of 4 KiB) keep every write but a file's last one
   * in whole blocks, as direct writes need, and large writes are cheaper anyway.
   */
  private void fill(ByteBuffer buffer, long left) {
    buffer.clear();
    int want = (int) Math.min(buffer.capacity(), left);
    buffer.limit(want);
    while (buffer.hasRemaining()) {
      connection.readData(buffer);
    }
    buffer.flip();
  }

  private Message.Digest expectDigest() {
    Message trailer = connection.receive();
    if (trailer instanceof Message.Digest digest) {
      if (digest.algorithm() != digestAlgorithm) {
        connection.markBroken();
        throw new FileshareException(
            ErrorCode.PROTOCOL_ERROR,
            connection.peer()
                + " sent a "
                + digest.algorithm()
                + " digest; this connection uses "
                + digestAlgorithm);
      }
      return digest;
    }
    connection.markBroken();
    throw FileshareClient.unexpected(connection, trailer, "DIGEST");
  }

  /** Reports the files whose commit is over, in order; with {@code all}, waits for every one. */
  private void reportCommitted(boolean all) {
    while (!committing.isEmpty() && (all || committing.peek().done().isDone())) {
      reportOldest();
    }
  }

  private void reportOldest() {
    Committing c = committing.poll();
    try {
      c.done().join();
    } catch (CompletionException e) {
      FileshareException failure =
          e.getCause() instanceof FileshareException f
              ? f
              : new FileshareException(ErrorCode.LOCAL_IO, "cannot store " + c.name(), e);
      // A name taken locally since the request (the destination was read once, or another
      // program was quicker) is told as the early refusal is.
      listener.failed(toldLocally(c.name(), failure));
      return;
    }
    TransferResult result =
        new TransferResult(
            TransferResult.Direction.DOWNLOAD,
            c.name(),
            c.size(),
            Duration.ofNanos(System.nanoTime() - c.startNanos()),
            digestAlgorithm,
            Hex.format(c.file().digest()));
    results.add(result);
    listener.finished(result);
  }

  private void abandon(List<String> unsent) {
    for (Requested r : requested) {
      if (r.failure() != null) {
        listener.failed(r.failure());
        continue;
      }
      r.file().abort();
      listener.failed(notAttempted(r.name()));
    }
    requested.clear();
    for (String name : unsent) {
      listener.failed(notAttempted(name));
    }
  }

  private static FileshareException notAttempted(String name) {
    return new FileshareException(
        ErrorCode.CONNECTION_LOST,
        "get " + FileNames.forDisplay(name) + ": not attempted, the connection was lost");
  }
}
