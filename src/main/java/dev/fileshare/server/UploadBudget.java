package dev.fileshare.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upload data received and not yet on disk, counted over the whole server. Each connection stops
 * reading at its own high mark, but a thousand connections times that mark would still be more
 * memory than the server has; this bound holds whatever the number of clients. Connections that
 * pause for it are woken, all of them, once it falls to its low mark.
 *
 * <p>Thread-safe: data is counted in on event loops and out on storage threads.
 */
final class UploadBudget {
  static final long DEFAULT_HIGH_BYTES = 96L << 20;

  private final long high;
  private final long low;
  private final AtomicLong pending = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> paused = new ConcurrentLinkedQueue<>();

  UploadBudget(long high, long low) {
    if (low > high) {
      throw new IllegalArgumentException("low mark above high mark");
    }
    this.high = high;
    this.low = low;
  }

  void received(long bytes) {
    pending.addAndGet(bytes);
  }

  void written(long bytes) {
    if (pending.addAndGet(-bytes) <= low) {
      wakeAll();
    }
  }

  /**
   * Whether a connection may read more now: below the high mark, and nobody waiting. A connection
   * that paused is thus not overtaken for ever by others that keep the count between the marks;
   * everyone waits for the low mark together, then all go on.
   */
  boolean hasRoom() {
    return pending.get() < high && paused.isEmpty();
  }

  /**
   * Runs {@code wakeup} once the budget is down to its low mark: later, or at once if it already is
   * (checked after registering, so that no release slips between check and wait).
   */
  void whenRoom(Runnable wakeup) {
    paused.add(wakeup);
    if (pending.get() <= low) {
      wakeAll();
    }
  }

  long pending() {
    return pending.get();
  }

  private void wakeAll() {
    Runnable wakeup;
    while ((wakeup = paused.poll()) != null) {
      wakeup.run();
    }
  }
}
