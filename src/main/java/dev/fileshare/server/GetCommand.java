package dev.fileshare.server;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.ReadableFile;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET: FILE header, the file's bytes by zero-copy (sendfile via a file region; read in chunks and
 * encrypted on a TLS connection), then its SHA-256. An unchanged file's digest is remembered from
 * an earlier pass (or from its upload), so serving it again reads nothing in user space. Otherwise
 * the digest is computed from the same open file, on a storage thread, while the kernel sends; the
 * DIGEST frame follows as soon as both are done.
 */
final class GetCommand implements ServerCommand<Message.GetRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(GetCommand.class);

  /** Files up to this size are sent from memory (see {@link #sendSmall}). */
  static final int SMALL_FILE_BYTES = 64 << 10;

  @Override
  public void start(Session session, Message.GetRequest request) {
    session
        .storageExecutor()
        .execute(
            () -> {
              ReadableFile file;
              try {
                file = session.storage().openForRead(request.name());
              } catch (FileshareException e) {
                session.onLoop(() -> session.fail(e));
                return;
              }
              try {
                if (file.size() <= SMALL_FILE_BYTES) {
                  sendSmall(session, file);
                } else {
                  session.onLoop(() -> send(session, file));
                }
              } catch (RuntimeException | Error e) {
                // Out of direct memory, say: the connection must not wait for ever.
                file.close();
                LOG.warn("get {} for {} failed", request.name(), session.peer(), e);
                session.onLoop(
                    () ->
                        session.fail(
                            new FileshareException(
                                ErrorCode.INTERNAL_ERROR, "internal error; closing connection")));
              }
            });
  }

  /**
   * A small file is read and hashed right here, on the storage thread, and leaves with its header
   * and digest in one write: for a few kilobytes, sendfile and a hashing pass of their own would
   * cost more system calls and thread hops than the copy they save.
   */
  private static void sendSmall(Session session, ReadableFile file) {
    ByteBuf data = session.channel().alloc().directBuffer((int) Math.max(file.size(), 1));
    byte[] digest;
    try (file) {
      ByteBuffer view = data.nioBuffer(0, (int) file.size());
      digest = file.readFully(view);
      data.writerIndex((int) file.size());
    } catch (FileshareException e) {
      data.release();
      session.onLoop(() -> session.fail(e));
      return;
    }
    session.onLoop(
        () -> {
          if (!session.channel().isActive()) {
            data.release();
            return;
          }
          session.write(new Message.FileHeader(file.size(), file.modifiedMillis()));
          session.write(data);
          finish(session, file, digest);
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
    byte[] known = file.knownDigest();
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
    byte[] known = file.knownDigest();
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
    file.computeDigestAsync()
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
              file.rememberDigest(digest);
              session.onLoop(() -> finish(session, file, digest));
            });
  }

  private static void finish(Session session, ReadableFile file, byte[] digest) {
    session
        .writeAndFlush(new Message.Digest(digest))
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
