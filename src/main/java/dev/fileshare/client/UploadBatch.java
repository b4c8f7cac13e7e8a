package dev.fileshare.client;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Hex;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.FileNames;
import dev.fileshare.storage.ReadableFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Uploads many files over one connection without waiting for each answer: up to {@link #WINDOW}
 * uploads are sent ahead of their STORED answers, which the server sends once each file is verified
 * and durable (it commits them in groups). Small files travel several to a system call, framed
 * together; large ones go by sendfile while a hashing thread reads them beside it.
 */
final class UploadBatch {
  /**
   * Uploads sent ahead of their answers. The answers waiting meanwhile are small (under 300 bytes
   * each), far below the socket buffers, so neither side can block the other. As many as the server
   * lets wait for their commit (SessionHandler.MAX_DEFERRED_REPLIES): an answer comes only once its
   * file is durable, so with half as many the client stalled between group commits (5,000 files of
   * 4 KiB, interleaved: 1.02 s → 0.94 s median with 128).
   */
  static final int WINDOW = 128;

  /** Files up to this size are read, hashed and queued in memory with their frames. */
  static final int SMALL_FILE_BYTES = 64 << 10;

  /**
   * An upload waiting for its answer, or a local failure (an unreadable file) waiting for the
   * answers due before it, so that every file's outcome is reported in order.
   */
  private record Sent(
      String name, long size, long startNanos, byte[] digest, FileshareException failure) {
    static Sent failed(FileshareException failure) {
      return new Sent(null, 0, 0, null, failure);
    }
  }

  private final Connection connection;
  private final BatchListener listener;
  private final DigestAlgorithm digestAlgorithm;
  private final ArrayDeque<Sent> sent = new ArrayDeque<>();
  private final List<TransferResult> results = new ArrayList<>();

  UploadBatch(Connection connection, DigestAlgorithm digestAlgorithm, BatchListener listener) {
    this.connection = connection;
    this.digestAlgorithm = digestAlgorithm;
    this.listener = listener;
  }

  List<TransferResult> run(List<Path> paths) {
    int next = 0;
    try {
      while (next < paths.size()) {
        if (sent.size() >= WINDOW) {
          // Down to half the window, not one below it: the next files then leave together in a
          // few large writes, not one write (and one wake-up of the server) per file.
          while (sent.size() > WINDOW / 2) {
            awaitAnswer();
          }
        }
        send(paths.get(next++));
      }
      while (!sent.isEmpty()) {
        awaitAnswer();
      }
    } catch (FileshareException e) {
      abandon(paths.subList(next, paths.size()));
    }
    return results;
  }

  /** Reports a local failure now, or after the answers still due for earlier files. */
  private void failInOrder(FileshareException e) {
    if (sent.isEmpty()) {
      listener.failed(e);
    } else {
      sent.add(Sent.failed(e));
    }
  }

  private void send(Path path) {
    ReadableFile file;
    try {
      file = ReadableFile.open(path);
    } catch (FileshareException e) {
      failInOrder(e);
      return;
    }
    try (file) {
      String name = FileNames.requireValid(file.name());
      long start = System.nanoTime();
      listener.started(name, file.size());
      byte[] digest;
      if (file.size() <= SMALL_FILE_BYTES) {
        // Read before the PUT frame is queued: a read failure then leaves the stream in step.
        ByteBuffer data = ByteBuffer.allocate((int) file.size());
        digest = file.readFully(data, digestAlgorithm);
        data.flip();
        connection.send(new Message.PutRequest(name, file.size(), file.modifiedMillis()));
        connection.sendData(data);
        listener.progressed(file.size());
      } else {
        connection.send(new Message.PutRequest(name, file.size(), file.modifiedMillis()));
        digest = sendLarge(file, name);
      }
      connection.send(new Message.Digest(digestAlgorithm, digest));
      listener.dataDone();
      sent.add(new Sent(name, file.size(), start, digest, null));
    } catch (FileshareException e) {
      listener.failed();
      if (!connection.isUsable()) {
        listener.failed(e);
        throw e;
      }
      failInOrder(e);
    }
  }

  private byte[] sendLarge(ReadableFile file, String name) {
    // Hashing reads the file beside the kernel's sending of it; both come from the page cache.
    CompletableFuture<byte[]> hashing = file.computeDigestAsync(digestAlgorithm);
    long size = file.size();
    long done = 0;
    try {
      while (done < size) {
        long n = connection.sendFile(file.channel(), done, size - done);
        if (n <= 0) {
          connection.markBroken();
          throw new FileshareException(
              ErrorCode.LOCAL_IO, name + " shrank while being sent; upload abandoned");
        }
        done += n;
        listener.progressed(done);
      }
      return hashing.join();
    } catch (CompletionException e) {
      connection.markBroken();
      throw e.getCause() instanceof FileshareException f
          ? new FileshareException(ErrorCode.LOCAL_IO, f.getMessage(), f)
          : e;
    } finally {
      hashing.cancel(false);
    }
  }

  private void awaitAnswer() {
    if (sent.peek().failure() != null) {
      listener.failed(sent.poll().failure());
      return;
    }
    Message reply;
    try {
      reply = connection.receive();
    } catch (FileshareException e) {
      sent.poll();
      listener.failed(e);
      throw e;
    }
    Sent s = sent.poll();
    if (reply instanceof Message.Stored) {
      TransferResult result =
          new TransferResult(
              TransferResult.Direction.UPLOAD,
              s.name(),
              s.size(),
              Duration.ofNanos(System.nanoTime() - s.startNanos()),
              digestAlgorithm,
              Hex.format(s.digest()));
      results.add(result);
      listener.finished(result);
      return;
    }
    FileshareException e = FileshareClient.unexpected(connection, reply, "STORED");
    listener.failed(e);
    if (!connection.isUsable()) {
      throw e;
    }
  }

  private void abandon(List<Path> unsent) {
    for (Sent s : sent) {
      listener.failed(s.failure() != null ? s.failure() : notAttempted(s.name()));
    }
    sent.clear();
    for (Path path : unsent) {
      listener.failed(notAttempted(path.toString()));
    }
  }

  private static FileshareException notAttempted(String name) {
    return new FileshareException(
        ErrorCode.CONNECTION_LOST,
        "put " + FileNames.forDisplay(name) + ": not confirmed, the connection was lost");
  }
}
