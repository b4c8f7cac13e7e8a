package dev.fileshare.server;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.PendingFile;
import dev.fileshare.storage.WriteMode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upload in progress. Data arrives on the event loop; every file operation runs on the
 * connection's ordered storage executor, so a slow disk never blocks the loop. Reading pauses while
 * more than {@link #HIGH_WATER_BYTES} wait for the disk, which bounds memory per connection. A
 * refused name or a failed write still consumes the data that follows, so the connection stays in
 * step and usable; the error is the reply to the DIGEST frame.
 */
final class Upload implements DataSink {
  private static final Logger LOG = LoggerFactory.getLogger(Upload.class);
  static final long HIGH_WATER_BYTES = 4L << 20;
  static final long LOW_WATER_BYTES = 1L << 20;

  /** Below the high mark, so that a connection never pauses with data gathered but unwritten. */
  static final int WRITE_BATCH_BYTES = 1 << 20;

  private final Session session;
  private final Message.PutRequest request;

  /** Storage-executor confined. */
  private PendingFile file;

  /** Bytes received and not yet written (gathered or queued); event-loop confined. */
  private long pendingBytes;

  /** Received chunks not yet handed to the storage executor; event-loop confined. */
  private final List<ByteBuf> gathered = new ArrayList<>();

  private int gatheredBytes;

  /** Upload data of the whole server waiting for the disk. */
  private final UploadBudget budget;

  /** Reading paused for the server-wide budget, with a wakeup registered; loop-confined. */
  private boolean waitingForBudget;

  /** Set on the storage executor when the upload cannot succeed; later data is discarded. */
  private volatile FileshareException failure;

  /**
   * @param refusal why the upload is refused before it starts (a read-only share), or null; its
   *     data is then read and dropped, and the refusal is the answer
   */
  Upload(Session session, Message.PutRequest request, FileshareException refusal) {
    this.session = session;
    this.request = request;
    this.failure = refusal;
    this.budget = session.uploadBudget();
  }

  /**
   * Creates the temporary file with the first write (or at the digest for an empty file), in the
   * same storage task: a small upload then costs one hop to the storage thread, not two.
   */
  private void openIfNeeded() {
    if (file != null || failure != null) {
      return;
    }
    try {
      file = session.storage().create(request.name(), WriteMode.REPLACE, session.digestAlgorithm());
      if (request.size() >= PendingFile.DIRECT_MIN_BYTES) {
        file.bypassPageCacheStaged();
      }
    } catch (FileshareException e) {
      failure = e;
    }
  }

  @Override
  public void data(ByteBuf chunk) {
    if (failure != null) {
      chunk.release();
      return;
    }
    int n = chunk.readableBytes();
    pendingBytes += n;
    budget.received(n);
    gathered.add(chunk);
    gatheredBytes += n;
    if (gatheredBytes >= WRITE_BATCH_BYTES) {
      writeGathered();
    }
  }

  @Override
  public void readComplete() {
    writeGathered();
  }

  /**
   * Hands what has gathered to the storage executor as one gathering write: one task and one system
   * call per megabyte rather than per network read, and writes large enough to be hashed beside the
   * write (see {@code PendingFile}).
   */
  private void writeGathered() {
    if (gathered.isEmpty()) {
      return;
    }
    ByteBuf[] chunks = gathered.toArray(ByteBuf[]::new);
    int n = gatheredBytes;
    gathered.clear();
    gatheredBytes = 0;
    session.storageExecutor().execute(() -> write(chunks, n));
  }

  private void write(ByteBuf[] chunks, int n) {
    try {
      openIfNeeded();
      if (failure == null) {
        List<ByteBuffer> buffers = new ArrayList<>(chunks.length);
        for (ByteBuf chunk : chunks) {
          buffers.addAll(Arrays.asList(chunk.nioBuffers()));
        }
        file.write(buffers.toArray(ByteBuffer[]::new));
      }
    } catch (FileshareException e) {
      failure = e;
      abortFile();
    } catch (RuntimeException e) {
      failure = internal(e);
      abortFile();
    } finally {
      for (ByteBuf chunk : chunks) {
        chunk.release();
      }
      // Counted out here, not on the loop: the server-wide count must never leak, even when the
      // loop is gone.
      budget.written(n);
      session.onLoop(() -> written(n));
    }
  }

  private void written(int n) {
    pendingBytes -= n;
    // Reading stops at the high mark (wantsMore) and resumes at the low one: hysteresis keeps
    // the read toggling rare.
    if (pendingBytes <= LOW_WATER_BYTES) {
      session.dataDrained();
    }
  }

  @Override
  public boolean wantsMore() {
    if (pendingBytes >= HIGH_WATER_BYTES) {
      return false;
    }
    if (budget.hasRoom()) {
      return true;
    }
    // Pausing with data gathered but not handed to the disk could leave every connection waiting
    // for a budget that nothing drains: hand it over now.
    writeGathered();
    if (!waitingForBudget) {
      waitingForBudget = true;
      budget.whenRoom(
          () ->
              session.onLoop(
                  () -> {
                    waitingForBudget = false;
                    session.dataDrained();
                  }));
    }
    return false;
  }

  /**
   * The data is all in: the connection may go on to its next request while this file is verified
   * and committed with others (see {@code GroupCommitter}); STORED or the error follows in order.
   */
  @Override
  public void digest(Message.Digest digest) {
    writeGathered();
    CompletableFuture<Message> reply = new CompletableFuture<>();
    // Queued before completeLater, which may start the next request at once: a later upload of
    // the same name must commit after this one, or the older version would win.
    session.storageExecutor().execute(() -> commit(digest, reply));
    session.completeLater(reply);
  }

  private void commit(Message.Digest digest, CompletableFuture<Message> reply) {
    CompletableFuture<Path> committed;
    try {
      openIfNeeded();
      FileshareException error = failure;
      if (error != null) {
        abortFile();
        refused(error, reply);
        return;
      }
      committed = file.commitAsync(digest.value(), request.modifiedMillis(), WriteMode.REPLACE);
    } catch (RuntimeException e) {
      // Whatever broke, the answer must come, or the connection would wait for ever.
      abortFile();
      refused(internal(e), reply);
      return;
    }
    committed.whenComplete(
        (path, e) -> {
          if (e == null) {
            LOG.info(
                "stored {} ({} bytes) from {}", request.name(), request.size(), session.peer());
            reply.complete(new Message.Stored(request.name(), request.size()));
          } else {
            refused(e instanceof FileshareException f ? f : internal(e), reply);
          }
        });
  }

  private void abortFile() {
    if (file != null) {
      file.abort();
    }
  }

  private void refused(FileshareException error, CompletableFuture<Message> reply) {
    LOG.info("put {} from {} refused: {}", request.name(), session.peer(), error.getMessage());
    reply.completeExceptionally(error);
  }

  private static FileshareException internal(Throwable e) {
    return new FileshareException(ErrorCode.STORAGE_ERROR, "cannot store: " + e, e);
  }

  @Override
  public void abort() {
    for (ByteBuf chunk : gathered) {
      chunk.release();
    }
    gathered.clear();
    budget.written(gatheredBytes);
    gatheredBytes = 0;
    session
        .storageExecutor()
        .execute(
            () -> {
              if (file != null) {
                file.abort();
              }
            });
  }
}
