package dev.fileshare.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real file channel whose flushes a test controls: it can hold a flush until released (to line
 * commits up into one round) or fail it as a disk would report a lost write-back.
 */
final class FaultyChannel extends FileChannel {
  private final FileChannel real;
  private volatile boolean failFlushes;
  private final CountDownLatch flushEntered = new CountDownLatch(1);
  private volatile CountDownLatch release;

  FaultyChannel(FileChannel real) {
    this.real = real;
  }

  /** Every flush from now on fails with EIO's message, as for data the disk did not take. */
  FaultyChannel failingFlushes() {
    failFlushes = true;
    return this;
  }

  /** The first flush waits for {@link #release()}. */
  FaultyChannel holdingFlushes() {
    release = new CountDownLatch(1);
    return this;
  }

  void awaitFlush() throws InterruptedException {
    if (!flushEntered.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no flush came");
    }
  }

  void release() {
    release.countDown();
  }

  @Override
  public void force(boolean metaData) throws IOException {
    flushEntered.countDown();
    CountDownLatch held = release;
    if (held != null) {
      try {
        held.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failFlushes) {
      throw new IOException("Input/output error");
    }
    real.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return real.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return real.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return real.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return real.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    real.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return real.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return real.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return real.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return real.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return real.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return real.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return real.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
