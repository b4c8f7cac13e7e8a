package dev.fileshare.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Aligned staging buffers for direct writes from data that arrives in buffers of any size and
 * address (the server's network buffers): a few at a time for the whole process, so that many large
 * uploads at once cannot take more than {@link #MAX_BUFFERS} MiB of direct memory. An upload that
 * finds none free writes through the page cache, as before.
 */
final class StagingBuffers {
  static final int BUFFER_BYTES = 1 << 20;
  static final int MAX_BUFFERS = 16;

  private static final Semaphore PERMITS = new Semaphore(MAX_BUFFERS);

  private StagingBuffers() {}

  /** One buffer lent out; returned once, by whichever of its writer or an abort comes first. */
  static final class Lease {
    final ByteBuffer buffer;
    private final AtomicBoolean returned = new AtomicBoolean();

    private Lease(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    /**
     * Gives the permit back. The buffer itself is left to the garbage collector rather than reused:
     * an abort from another thread may return it while its writer is still copying into it.
     */
    void release() {
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
    try {
      int block = DirectWriter.ALIGNMENT;
      ByteBuffer aligned = ByteBuffer.allocateDirect(BUFFER_BYTES + 2 * block).alignedSlice(block);
      return new Lease(aligned.slice(0, BUFFER_BYTES));
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
