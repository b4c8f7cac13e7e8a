package dev.fileshare.cli;

import dev.fileshare.client.BatchListener;
import dev.fileshare.common.FileshareException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * A command's standard streams: where results and errors go, where the console reads scripts from,
 * and whether a person is watching (progress bars, line editing).
 */
final class Output {
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;
  private final Map<String, String> environment;

  Output(InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {
    this(in, out, err, interactive, System.getenv());
  }

  /**
   * @param environment the variables the commands read (XDG directories, HOME, the password), so
   *     that tests can give their own
   */
  Output(
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      boolean interactive,
      Map<String, String> environment) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.environment = Map.copyOf(environment);
  }

  Map<String, String> environment() {
    return environment;
  }

  /** The user's home: $HOME, else the JVM's idea of it. */
  Path home() {
    String home = environment.get("HOME");
    return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
  }

  /** How a password is asked for: the system console, or the console's line reader when it runs. */
  private Function<String, String> passwordPrompt = this::askOnSystemConsole;

  void usePasswordPrompt(Function<String, String> prompt) {
    this.passwordPrompt = prompt;
  }

  /** The password typed for {@code peer}, or null when nobody can be asked (no terminal). */
  String askPassword(String peer) {
    return interactive ? passwordPrompt.apply(peer) : null;
  }

  private String askOnSystemConsole(String peer) {
    java.io.Console console = System.console();
    if (console == null) {
      return null;
    }
    char[] typed = console.readPassword("Password for %s: ", peer);
    return typed == null || typed.length == 0 ? null : new String(typed);
  }

  /**
   * Something the user should know that is not an error, on stderr: "fileshare: first contact…".
   */
  void note(String message) {
    error(message);
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
