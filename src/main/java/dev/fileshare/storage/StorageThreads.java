package dev.fileshare.storage;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that take work off a transfer's own thread so that it overlaps: hashing beside writing,
 * and writing and flushing data to disk while more arrives (so the final flush waits only for the
 * tail).
 *
 * <p>Daemon threads: they never keep a process alive, and nothing durable depends on them finishing
 * (a file is published only after its own flush returned).
 */
final class StorageThreads {
  /** Hashing is CPU work: one thread per core is all that can run. */
  static final ExecutorService HASHERS =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(), daemon("fileshare-hash"));

  /**
   * Flushes and staged direct writes wait on the disk; waiting costs no CPU, and many flushes in
   * flight merge well.
   */
  static final ExecutorService FLUSHERS = Executors.newCachedThreadPool(daemon("fileshare-flush"));

  private StorageThreads() {}

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
