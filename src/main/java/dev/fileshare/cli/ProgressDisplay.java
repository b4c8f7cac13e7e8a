package dev.fileshare.cli;

import dev.fileshare.client.BatchListener;
import dev.fileshare.client.TransferResult;
import dev.fileshare.common.FileshareException;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a transfer: a live bar (bytes, rate, ETA) on a terminal, then one summary line. Off a
 * terminal only the summary line is printed, so scripts get stable output.
 */
final class ProgressDisplay implements BatchListener {
  private final PrintWriter out;
  private final boolean live;
  private ProgressBar bar;

  private final Consumer<FileshareException> errors;

  /** Off a terminal, how long a summary line may wait to be flushed with later ones. */
  static final long FLUSH_EVERY_NANOS = 100_000_000L;

  private long lastFlushNanos = System.nanoTime();

  ProgressDisplay(PrintWriter out, boolean live, Consumer<FileshareException> errors) {
    this.out = out;
    this.live = live;
    this.errors = errors;
  }

  /**
   * Smaller files get no bar: they are over before it could show anything, and a bar per file (each
   * with its own refresh thread) would slow a batch of thousands.
   */
  static final long MIN_BAR_BYTES = 1 << 20;

  @Override
  public void started(String name, long size) {
    if (live && size >= MIN_BAR_BYTES) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(name.length() > 24 ? name.substring(0, 23) + "…" : name)
              .setInitialMax(Math.max(size, 1))
              .setUnit("MiB", 1 << 20)
              .showSpeed()
              .setSpeedUnit(ChronoUnit.SECONDS)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUpdateIntervalMillis(200)
              .clearDisplayOnFinish()
              .build();
    }
  }

  @Override
  public void progressed(long bytesDone) {
    if (bar != null) {
      bar.stepTo(bytesDone);
    }
    // A large file's progress lets the lines of the small ones before it out meanwhile.
    flushSoon();
  }

  @Override
  public void dataDone() {
    closeBar();
  }

  @Override
  public void finished(TransferResult result) {
    closeBar();
    // print, not println: the writer flushes on println, a write(2) per file.
    out.print(Formats.summary(result) + System.lineSeparator());
    flushSoon();
  }

  /**
   * Off a terminal, summary lines leave in bunches at most {@link #FLUSH_EVERY_NANOS} apart, and
   * with any error (which {@link Output#error} writes after flushing them) and at the end of the
   * batch ({@link Transfers}): a write per line cost a batch of thousands about 6 µs a file.
   */
  private void flushSoon() {
    long now = System.nanoTime();
    if (live || now - lastFlushNanos >= FLUSH_EVERY_NANOS) {
      out.flush();
      lastFlushNanos = now;
    }
  }

  @Override
  public void failed() {
    closeBar();
  }

  @Override
  public void failed(FileshareException error) {
    closeBar();
    errors.accept(error);
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
