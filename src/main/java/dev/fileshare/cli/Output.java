package dev.fileshare.cli;

import dev.fileshare.client.BatchListener;
import dev.fileshare.common.FileshareException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * A command's standard streams: where results and errors go, where the console reads scripts from,
 * and whether a person is watching (progress bars, line editing).
 */
final class Output {
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;

  Output(InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  InputStream in() {
    return in;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter errWriter() {
    return err;
  }

  boolean interactive() {
    return interactive;
  }

  void println(String line) {
    out.println(line);
    out.flush();
  }

  void print(String text) {
    out.print(text);
    out.flush();
  }

  /** One line on stderr: "fileshare: no such file: x". */
  void error(String message) {
    out.flush();
    err.println("fileshare: " + message);
    err.flush();
  }

  void error(FileshareException e) {
    error(e.userMessage());
  }

  /** Shows each transfer of a batch: a live bar on a terminal, a summary line, errors. */
  BatchListener progress() {
    return new ProgressDisplay(out, interactive, this::error);
  }
}
