package dev.fileshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.client.TransferResult;
import dev.fileshare.common.DigestAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  /** Counts the flushes that reach the underlying stream (each one a write(2) on stdout). */
  private static final class CountingWriter extends PrintWriter {
    int flushes;

    CountingWriter(StringWriter sink) {
      super(sink, true);
    }

    @Override
    public void flush() {
      flushes++;
      super.flush();
    }
  }

  private static TransferResult result(int i) {
    return new TransferResult(
        TransferResult.Direction.DOWNLOAD,
        "f" + i,
        4096,
        Duration.ofMillis(1),
        DigestAlgorithm.XXH3_128,
        "00");
  }

  @Test
  void offATerminalLinesLeaveInBunches() {
    StringWriter sink = new StringWriter();
    CountingWriter out = new CountingWriter(sink);
    List<Exception> errors = new ArrayList<>();
    ProgressDisplay display = new ProgressDisplay(out, false, errors::add);

    for (int i = 0; i < 1000; i++) {
      display.finished(result(i));
    }
    out.flush();

    // Flushed at most every 100 ms: a thousand lines take far less than 10 s.
    assertThat(out.flushes).isLessThan(100);
    List<String> lines = sink.toString().lines().toList();
    assertThat(lines).hasSize(1000);
    assertThat(lines.get(0)).startsWith("got f0: 4.0 KiB in 0.00 s");
    assertThat(lines.get(999)).startsWith("got f999: ");
    assertThat(errors).isEmpty();
  }

  @Test
  void onATerminalEachLineIsShownAtOnce() {
    StringWriter sink = new StringWriter();
    CountingWriter out = new CountingWriter(sink);
    ProgressDisplay display = new ProgressDisplay(out, true, e -> {});

    display.finished(result(1));
    assertThat(sink.toString()).startsWith("got f1: ");
    display.finished(result(2));

    assertThat(out.flushes).isEqualTo(2);
  }
}
