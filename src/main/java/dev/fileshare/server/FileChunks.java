package dev.fileshare.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A file's bytes as chunks for a TLS connection, where sendfile cannot be used. Reads by position,
 * so a digest may be computed from the same open file at the same time; the owner learns by {@code
 * onClose} when the chunks no longer need the file.
 */
final class FileChunks implements ChunkedInput<ByteBuf> {
  /**
   * Large enough for few reads and wraps per file, small enough to keep a connection's share low.
   */
  static final int CHUNK_BYTES = 256 << 10;

  private final FileChannel file;
  private final long size;
  private final Runnable onClose;
  private long offset;
  private boolean closed;

  FileChunks(FileChannel file, long size, Runnable onClose) {
    this.file = file;
    this.size = size;
    this.onClose = onClose;
  }

  @Override
  public boolean isEndOfInput() {
    return offset >= size;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }

  @Deprecated
  @Override
  public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
    if (offset >= size) {
      return null;
    }
    int length = (int) Math.min(CHUNK_BYTES, size - offset);
    ByteBuf chunk = allocator.directBuffer(length);
    try {
      while (chunk.readableBytes() < length) {
        int n =
            chunk.writeBytes(file, offset + chunk.readableBytes(), length - chunk.readableBytes());
        if (n < 0) {
          // The data length is promised already; the connection closes and the client discards.
          throw new EOFException("file shrank while being sent");
        }
      }
    } catch (IOException e) {
      chunk.release();
      throw e;
    }
    offset += length;
    return chunk;
  }

  @Override
  public long length() {
    return size;
  }

  @Override
  public long progress() {
    return offset;
  }
}
