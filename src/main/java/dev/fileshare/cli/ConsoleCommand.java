package dev.fileshare.cli;

import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.storage.SharedDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = {
      "The interactive console: scan, connect, llist, rlist, put, get, bye, help, quit.",
      "On a terminal: line editing, history and tab completion. Otherwise it reads commands line"
          + " by line from standard input and exits with status 1 if any of them failed."
    })
final class ConsoleCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Mixin ConnectOptions connectOptions;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Local directory for llist, put and get (default: the current directory).")
  Path dir;

  @Parameters(
      arity = "0..1",
      paramLabel = "HOST[:PORT]",
      description = "Connect to this server first.")
  String server;

  @Override
  public Integer call() throws IOException {
    Output output = parent.output();
    ConsoleSession session =
        new ConsoleSession(output, SharedDirectory.open(dir, false), connectOptions);
    ConsoleRunner runner = new ConsoleRunner(session);
    if (server != null) {
      HostPort address = HostPort.parse(server, ProtocolLimits.DEFAULT_PORT);
      runner.execute(List.of("connect", address.toString()));
    }
    if (output.interactive()) {
      new InteractiveConsole(runner, session).run();
    } else {
      runScript(runner, session);
    }
    session.disconnect();
    return session.anyFailed() ? Main.EXIT_FAILURE : 0;
  }

  private static void runScript(ConsoleRunner runner, ConsoleSession session) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(session.output().in(), StandardCharsets.UTF_8));
    String line;
    while (!session.quitting() && (line = in.readLine()) != null) {
      runner.executeLine(line);
    }
  }

  /** Runs console lines through picocli; shared by the terminal and the script front ends. */
  static final class ConsoleRunner {
    private final ConsoleSession session;
    private final CommandLine commands;

    ConsoleRunner(ConsoleSession session) {
      this.session = session;
      Output output = session.output();
      this.commands = new CommandLine(new ConsoleCommands(session));
      commands.setOut(output.out());
      commands.setErr(output.errWriter());
      commands.setExecutionExceptionHandler(
          (e, cl, parseResult) -> {
            if (e instanceof FileshareException fe) {
              output.error(fe);
            } else {
              output.error("internal error: " + e);
            }
            return Main.EXIT_FAILURE;
          });
      commands.setParameterExceptionHandler(
          (e, args) -> {
            if (e instanceof CommandLine.UnmatchedArgumentException
                && e.getCommandLine() == commands) {
              output.error("Invalid command: " + args[0] + " (type 'help' for the commands)");
            } else {
              output.error(
                  e.getMessage() + " (type 'help " + e.getCommandLine().getCommandName() + "')");
            }
            return Main.EXIT_USAGE;
          });
    }

    CommandLine commandLine() {
      return commands;
    }

    void executeLine(String line) {
      List<String> words;
      try {
        words = ConsoleWords.split(line);
      } catch (FileshareException e) {
        session.output().error(e);
        session.failed();
        return;
      }
      if (words.isEmpty() || words.get(0).startsWith("#")) {
        return;
      }
      execute(words);
    }

    void execute(List<String> words) {
      int status = commands.execute(words.toArray(new String[0]));
      if (status != 0) {
        session.failed();
      }
    }
  }
}
