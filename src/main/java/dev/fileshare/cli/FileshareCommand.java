package dev.fileshare.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "fileshare",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Share files on a local network: a server that finds itself, a client that finds it.",
    footer = {
      "",
      "Exit status: 0 success, 1 a command failed, 2 the command line was invalid.",
      "Run 'fileshare COMMAND --help' for a command's options."
    })
final class FileshareCommand implements java.util.concurrent.Callable<Integer> {
  /**
   * The subcommands by name, in the order help lists them. Not in the annotation: picocli would
   * then build every one's model (reflection over all their options) on each start, which costs a
   * one-shot command about a third of its start-up; {@link Main#commandLine} adds only the one
   * named, or all of them when none is.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> all = new LinkedHashMap<>();
    all.put("server", ServeCommand.class);
    all.put("client", ConsoleCommand.class);
    all.put("scan", ScanCommand.class);
    all.put("list", ListCommand.class);
    all.put("get", GetCommand.class);
    all.put("put", PutCommand.class);
    all.put("trust", TrustCommand.class);
    all.put("train", TrainCommand.class);
    return Collections.unmodifiableMap(all);
  }

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
