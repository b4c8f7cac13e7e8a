package dev.fileshare.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "fileshare",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Share files on a local network: a server that finds itself, a client that finds it.",
    subcommands = {
      ServeCommand.class,
      ConsoleCommand.class,
      ScanCommand.class,
      ListCommand.class,
      GetCommand.class,
      PutCommand.class,
      TrustCommand.class,
      TrainCommand.class
    },
    footer = {
      "",
      "Exit status: 0 success, 1 a command failed, 2 the command line was invalid.",
      "Run 'fileshare COMMAND --help' for a command's options."
    })
final class FileshareCommand implements java.util.concurrent.Callable<Integer> {
  private final Output output;

  @Spec CommandSpec spec;

  FileshareCommand(Output output) {
    this.output = output;
  }

  Output output() {
    return output;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(output.errWriter());
    return Main.EXIT_USAGE;
  }
}
