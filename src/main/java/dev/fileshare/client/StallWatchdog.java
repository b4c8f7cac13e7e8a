package dev.fileshare.client;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timeout for blocking channel I/O, which has none of its own: while a call is in progress the
 * watchdog checks now and then how long it has waited, and past the limit runs its stall action
 * (closing the channel, which makes the blocked call fail). Each call starts a fresh wait, so a
 * slow but moving transfer never trips it.
 */
final class StallWatchdog implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "fileshare-watchdog");
            thread.setDaemon(true);
            return thread;
          });

  private final long limitNanos;
  private final Runnable onStall;
  private final ScheduledFuture<?> checks;

  /** When the current call began (never 0), or 0 between calls. */
  private volatile long waitingSince;

  private volatile boolean stalled;

  StallWatchdog(Duration limit, Runnable onStall) {
    this.limitNanos = limit.toNanos();
    this.onStall = onStall;
    long period = Math.max(10, Math.min(1000, limit.toMillis() / 4));
    this.checks = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** A blocking call begins. */
  void begin() {
    waitingSince = System.nanoTime() | 1;
  }

  /** The blocking call returned. */
  void end() {
    waitingSince = 0;
  }

  /** Whether the stall action ran: a failure after it is a timeout, not a lost connection. */
  boolean stalled() {
    return stalled;
  }

  private void check() {
    long since = waitingSince;
    if (since != 0 && System.nanoTime() - since > limitNanos && !stalled) {
      stalled = true;
      onStall.run();
    }
  }

  @Override
  public void close() {
    checks.cancel(false);
  }
}
