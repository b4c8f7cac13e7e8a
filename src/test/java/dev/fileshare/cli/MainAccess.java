package dev.fileshare.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process, for tests outside this package. */
public final class MainAccess {
  private MainAccess() {}

  public record Run(int status, String out, String err) {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false);
    return new Run(status, out.toString(), err.toString());
  }
}
