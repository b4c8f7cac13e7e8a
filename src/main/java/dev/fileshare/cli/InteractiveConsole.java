package dev.fileshare.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The console on a terminal: JLine line editing, persistent history, tab completion. */
final class InteractiveConsole {
  private final ConsoleCommand.ConsoleRunner runner;
  private final ConsoleSession session;

  InteractiveConsole(ConsoleCommand.ConsoleRunner runner, ConsoleSession session) {
    this.runner = runner;
    this.session = session;
  }

  void run() throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("fileshare")
              .completer(new ConsoleCompleter(runner, session))
              .variable(LineReader.HISTORY_FILE, historyFile())
              .build();
      // The line reader owns the terminal now: passwords are asked through it, masked.
      session
          .output()
          .usePasswordPrompt(
              peer -> {
                try {
                  String typed = reader.readLine("Password for " + peer + ": ", '*');
                  return typed.isEmpty() ? null : typed;
                } catch (UserInterruptException | EndOfFileException e) {
                  return null;
                }
              });
      session.output().println("fileshare console: type 'help' for the commands, 'quit' to leave.");
      while (!session.quitting()) {
        String line;
        try {
          line = reader.readLine(session.prompt());
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        runner.executeLine(line);
      }
    }
  }

  private static Path historyFile() {
    String state = System.getenv("XDG_STATE_HOME");
    Path dir =
        state != null && !state.isBlank()
            ? Path.of(state, "fileshare")
            : Path.of(System.getProperty("user.home"), ".local", "state", "fileshare");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      // History is a comfort; without a writable state directory it stays in memory.
    }
    return dir.resolve("history");
  }

  /**
   * Commands first; then local names after put, remote names after get, found hosts after connect.
   */
  static final class ConsoleCompleter implements Completer {
    private final ConsoleCommand.ConsoleRunner runner;
    private final ConsoleSession session;

    ConsoleCompleter(ConsoleCommand.ConsoleRunner runner, ConsoleSession session) {
      this.runner = runner;
      this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
      if (line.wordIndex() == 0) {
        for (String name : runner.commandLine().getSubcommands().keySet()) {
          candidates.add(new Candidate(name));
        }
        return;
      }
      String command = line.words().get(0);
      for (String value : argumentsFor(command)) {
        candidates.add(new Candidate(value));
      }
    }

    private List<String> argumentsFor(String command) {
      try {
        switch (command) {
          case "put":
            return session.localDirectory().list().stream().map(f -> f.name()).toList();
          case "get":
            if (session.remoteNames().isEmpty() && session.isConnected()) {
              session.rememberRemote(session.client().list());
            }
            return session.remoteNames();
          case "connect":
            return session.foundHosts();
          case "help":
            return List.copyOf(runner.commandLine().getSubcommands().keySet());
          default:
            return List.of();
        }
      } catch (RuntimeException e) {
        // Completion must never disturb the line being typed.
        return List.of();
      }
    }
  }
}
