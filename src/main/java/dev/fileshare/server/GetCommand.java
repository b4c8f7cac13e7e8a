package dev.fileshare.server;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.ReadableFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET: FILE header, the file's bytes by zero-copy (sendfile via a file region; read in chunks and
 * encrypted on a TLS connection), then its digest. An unchanged file's digest is remembered from an
 * earlier GET's pass over it, so serving it again reads nothing in user space. Otherwise the digest
 * is computed from the same open file, on a storage thread, while the kernel sends; the DIGEST
 * frame follows as soon as both are done. Pipelined GETs of small files are served together, in one
 * trip to the storage thread and one flush (see {@link #prepare}).
 */
final class GetCommand implements ServerCommand<Message.GetRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GetCommand.class);

  /** Files up to this size are sent from memory (see {@link #readSmall}). */
  static final int SMALL_FILE_BYTES = 64 << 10;

  /**
   * Pipelined GETs served by one trip to the storage thread, at most: each trip costs two thread
   * hand-offs (wake-ups, context switches), which were most of a small file's CPU on the server.
   */
  static final int MAX_BATCH_FILES = 32;

  /**
   * ... and no further file once this many bytes are read: with the file that crosses it, a
   * connection holds under 128 KiB (one small file's 64 KiB held it before batching), and only
   * while its client reads its answers (see {@link #start}).
   */
  static final int MAX_BATCH_BYTES = 64 << 10;

  /** A small file read and hashed, or the error that answers its request. */
  private record Answer(ReadableFile file, ByteBuf data, byte[] digest, FileshareException error) {
    static Answer failed(FileshareException error) {
      return new Answer(null, null, null, error);
    }

    void release() {
      if (data != null) {
        data.release();
      }
    }
  }

  /** The batch's answers, and where it stopped: at a large file, or before the byte budget. */
  private record Prepared(List<Answer> answers, ReadableFile large, List<Message.GetRequest> rest) {
    void release() {
      releaseFrom(0);
    }

    /** Lets go of the answers from {@code first} on, and of the large file. */
    void releaseFrom(int first) {
      answers.subList(first, answers.size()).forEach(Answer::release);
      if (large != null) {
        large.close();
      }
    }
  }

  @Override
  public void start(Session session, Message.GetRequest request) {
    List<Message.GetRequest> batch = new ArrayList<>();
    batch.add(request);
    // A client that leaves its answers unread gets one file at a time, as before batching.
    if (session.channel().isWritable()) {
      batch.addAll(session.takeQueued(Message.GetRequest.class, MAX_BATCH_FILES - 1));
    }
    session.storageExecutor().execute(() -> prepareSafely(session, batch));
  }

  /** {@link #prepare}, never leaving the connection waiting for ever: it must end in an answer. */
  private static void prepareSafely(Session session, List<Message.GetRequest> batch) {
    try {
      prepare(session, batch);
    } catch (RuntimeException | Error e) {
      LOG.warn("get for {} failed", session.peer(), e);
      session.onLoop(() -> session.fail(internalError()));
    }
  }

  private static FileshareException internalError() {
    return new FileshareException(ErrorCode.INTERNAL_ERROR, "internal error; closing connection");
  }

  /**
   * On the storage thread: opens the batch's files in order, reading and hashing the small ones
   * here (for a few kilobytes, sendfile and a hashing pass of their own would cost more system
   * calls and thread hops than the copy they save). Stops at the first large file, which goes by
   * the zero-copy path, or when the batch holds {@link #MAX_BATCH_BYTES}.
   */
  private static void prepare(Session session, List<Message.GetRequest> batch) {
    List<Answer> answers = new ArrayList<>();
    ReadableFile large = null;
    long bytes = 0;
    int next = 0;
    while (next < batch.size() && large == null && bytes < MAX_BATCH_BYTES) {
      Message.GetRequest request = batch.get(next++);
      ReadableFile file = null;
      try {
        file = session.storage().openForRead(request.name());
        if (file.size() <= SMALL_FILE_BYTES) {
          answers.add(readSmall(session, file));
          bytes += file.size();
        } else {
          large = file;
          // Here on the storage thread: sending it looks up its digest by version.
          large.findVersion();
        }
      } catch (FileshareException e) {
        answers.add(Answer.failed(e));
      } catch (RuntimeException | Error e) {
        // Out of direct memory, say: the error ends the connection, after the answers before it.
        if (file != null) {
          file.close();
        }
        LOG.warn("get {} for {} failed", request.name(), session.peer(), e);
        answers.add(Answer.failed(internalError()));
        break;
      }
    }
    Prepared prepared =
        new Prepared(answers, large, List.copyOf(batch.subList(next, batch.size())));
    // Dropped once the server shuts down: then nothing may keep the buffers or the file.
    session.onLoop(() -> deliver(session, prepared), prepared::release);
  }

  private static Answer readSmall(Session session, ReadableFile file) {
    try (file) {
      ByteBuf data = session.channel().alloc().directBuffer((int) Math.max(file.size(), 1));
      try {
        ByteBuffer view = data.nioBuffer(0, (int) file.size());
        byte[] digest = file.readFully(view, session.digestAlgorithm());
        data.writerIndex((int) file.size());
        return new Answer(file, data, digest, null);
      } catch (RuntimeException | Error e) {
        data.release();
        if (e instanceof FileshareException f) {
          return Answer.failed(f);
        }
        throw e;
      }
    }
  }

  /**
   * On the loop: writes the batch's answers in order and flushes them together, then sends its
   * large file, if any, with the requests not reached put back to run after it. The command ends
   * once the last answer is written, so a client that does not read holds up only its own
   * connection.
   */
  private static void deliver(Session session, Prepared prepared) {
    if (!session.channel().isActive() || session.closing()) {
      prepared.release();
      return;
    }
    List<Answer> answers = prepared.answers();
    List<ReadableFile> sent = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      Answer answer = answers.get(i);
      if (answer.error() != null) {
        if (!session.sendError(answer.error())) {
          prepared.releaseFrom(i + 1);
          return;
        }
        continue;
      }
      ReadableFile file = answer.file();
      // The pipeline takes over the data buffer: written, or released if the channel is gone.
      session.write(new Message.FileHeader(file.size(), file.modifiedMillis()));
      session.write(answer.data());
      session.write(new Message.Digest(session.digestAlgorithm(), answer.digest()));
      sent.add(file);
    }
    session.putBack(prepared.rest());
    // Completes once everything written before it is out.
    ChannelFuture written = session.writeAndFlush(Unpooled.EMPTY_BUFFER);
    written.addListener(
        (ChannelFutureListener)
            f -> {
              if (f.isSuccess()) {
                for (ReadableFile file : sent) {
                  LOG.info("sent {} ({} bytes) to {}", file.name(), file.size(), session.peer());
                }
              }
            });
    if (prepared.large() != null) {
      send(session, prepared.large());
      return;
    }
    written.addListener(
        (ChannelFutureListener)
            f -> {
              if (f.isSuccess()) {
                session.complete();
              } else {
                session.channel().close();
              }
            });
  }

  private static void send(Session session, ReadableFile file) {
    if (!session.channel().isActive()) {
      file.close();
      return;
    }
    session.write(new Message.FileHeader(file.size(), file.modifiedMillis()));
    if (session.encrypted()) {
      sendChunked(session, file);
      return;
    }
    byte[] known = file.knownDigest(session.digestAlgorithm());
    if (known != null) {
      // The region closes the file once sent.
      session.write(new DefaultFileRegion(file.channel(), 0, file.size()));
      finish(session, file, known);
      return;
    }
    // One reference for the write, one for the hashing; the file closes when both let go.
    DefaultFileRegion region = new DefaultFileRegion(file.channel(), 0, file.size());
    region.retain();
    session.writeAndFlush(region);
    finishWhenHashed(session, file, region::release);
  }

  /**
   * Through TLS: the same shape as the zero-copy path, with chunks read by the event loop in place
   * of sendfile. The file closes when both the chunks and the hashing are done with it.
   */
  private static void sendChunked(Session session, ReadableFile file) {
    byte[] known = file.knownDigest(session.digestAlgorithm());
    AtomicInteger users = new AtomicInteger(known != null ? 1 : 2);
    Runnable release =
        () -> {
          if (users.decrementAndGet() == 0) {
            file.close();
          }
        };
    session
        .writeAndFlush(new FileChunks(file.channel(), file.size(), release))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (known != null) {
      finish(session, file, known);
      return;
    }
    finishWhenHashed(session, file, release);
  }

  /**
   * Hashes the file while its data leaves, then sends the DIGEST (or closes, if reading failed). On
   * the hashing pool, not the connection's storage executor: a long hash must not hold a storage
   * thread that other connections need for their opens and writes.
   *
   * @param release lets go of the hashing's hold on the open file
   */
  private static void finishWhenHashed(Session session, ReadableFile file, Runnable release) {
    DigestAlgorithm algorithm = session.digestAlgorithm();
    file.computeDigestAsync(algorithm)
        .whenComplete(
            (digest, failure) -> {
              release.run();
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException ? failure.getCause() : failure;
                LOG.warn("get {} for {}: {}", file.name(), session.peer(), cause.toString());
                session.onLoop(() -> abortMidFile(session));
                return;
              }
              file.rememberDigest(algorithm, digest);
              session.onLoop(() -> finish(session, file, digest));
            });
  }

  private static void finish(Session session, ReadableFile file, byte[] digest) {
    session
        .writeAndFlush(new Message.Digest(session.digestAlgorithm(), digest))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    LOG.info("sent {} ({} bytes) to {}", file.name(), file.size(), session.peer());
                    session.complete();
                  }
                });
  }

  /**
   * Once the FILE header is out the data length is promised; a read failure can only be reported by
   * closing, which the client sees as a lost connection and discards its partial copy.
   */
  private static void abortMidFile(Session session) {
    session.channel().close();
  }
}
