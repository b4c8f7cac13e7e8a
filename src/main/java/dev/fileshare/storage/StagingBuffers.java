package dev.fileshare.storage;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Aligned staging buffers for direct writes from data that arrives in buffers of any size and
 * address (the server's network buffers): a few at a time for the whole process, so that many large
 * uploads at once cannot take more than {@link #MAX_BUFFERS} MiB of direct memory (plus buffers an
 * abort dropped, until they are collected). An upload that finds none free writes through the page
 * cache, as before.
 */
final class StagingBuffers {
  static final int BUFFER_BYTES = 1 << 20;

  /** Two per upload (one filling, one being written): 16 large uploads at once write directly. */
  static final int MAX_BUFFERS = 32;

  private static final Semaphore PERMITS = new Semaphore(MAX_BUFFERS);

  /** Buffers given back by their writers, for the next lease: direct memory is slow to free. */
  private static final Queue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();

  private StagingBuffers() {}

  /** One buffer lent out; returned once, by whichever of its writer or an abort comes first. */
  static final class Lease {
    final ByteBuffer buffer;
    private final AtomicBoolean returned = new AtomicBoolean();

    private Lease(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    /** Gives the buffer back for reuse: only from its writer's thread, once done with it. */
    void release() {
      if (returned.compareAndSet(false, true)) {
        FREE.offer(buffer.clear());
        PERMITS.release();
      }
    }

    /**
     * Gives back the permit but not the buffer, which is left to the garbage collector: for an
     * abort from another thread, while the writer may still be copying into it.
     */
    void releasePermitOnly() {
      if (returned.compareAndSet(false, true)) {
        PERMITS.release();
      }
    }
  }

  /** A buffer of {@link #BUFFER_BYTES}, 4 KiB-aligned, or null if all are lent out. */
  static Lease take() {
    if (!PERMITS.tryAcquire()) {
      return null;
    }
    ByteBuffer reused = FREE.poll();
    if (reused != null) {
      return new Lease(reused);
    }
    try {
      return new Lease(PendingFile.alignedBuffer(BUFFER_BYTES));
    } catch (OutOfMemoryError e) {
      PERMITS.release(); // direct memory is short: the page cache will do
      return null;
    }
  }

  /** Buffers free now; for tests. */
  static int available() {
    return PERMITS.availablePermits();
  }
}
