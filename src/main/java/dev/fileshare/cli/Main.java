package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** Entry point: parses the command line and turns every failure into one line and an exit code. */
public final class Main {
  /** Exit status of a command that ran and failed (a missing file, a lost connection…). */
  static final int EXIT_FAILURE = 1;

  /** Exit status of a command line that could not be understood. */
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    RuntimeDefaults.apply(args);
    StartupWarmer.start(args);
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    // Off a terminal, transfer summaries are flushed in bunches (ProgressDisplay): the lines of
    // files already done still come out when the command is interrupted (Ctrl-C, SIGTERM).
    Runtime.getRuntime().addShutdownHook(new Thread(out::flush, "fileshare-flush-output"));
    int status = run(args, System.in, out, err, Terminal.interactive());
    out.flush();
    err.flush();
    // The server command returns only once it is stopped; nothing else keeps the JVM up.
    System.exit(status);
  }

  /** Runs one command line; used by main and by tests. */
  static int run(
      String[] args, InputStream in, PrintWriter out, PrintWriter err, boolean interactive) {
    return run(args, in, out, err, interactive, System.getenv());
  }

  /** Runs one command line with these environment variables instead of the process's. */
  static int run(
      String[] args,
      InputStream in,
      PrintWriter out,
      PrintWriter err,
      boolean interactive,
      Map<String, String> environment) {
    return commandLine(new Output(in, out, err, interactive, environment), args).execute(args);
  }

  /** The command line for {@code args}: with only the subcommand they name, if they name one. */
  static CommandLine commandLine(Output output, String[] args) {
    CommandLine cli = new CommandLine(new FileshareCommand(output));
    Class<?> named = args.length > 0 ? FileshareCommand.SUBCOMMANDS.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(named);
    } else {
      FileshareCommand.SUBCOMMANDS.values().forEach(cli::addSubcommand);
    }
    cli.setOut(output.out());
    cli.setErr(output.errWriter());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof FileshareException fe) {
            output.error(fe);
            return fe.code() == ErrorCode.USAGE ? EXIT_USAGE : EXIT_FAILURE;
          }
          output.error("internal error: " + e);
          return EXIT_FAILURE;
        });
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine c = e.getCommandLine();
          output.error(e.getMessage());
          output.errWriter().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          output.errWriter().flush();
          return EXIT_USAGE;
        });
    return cli;
  }
}
