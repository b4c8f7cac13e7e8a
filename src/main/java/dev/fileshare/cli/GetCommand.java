package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Download files from a server, each verified by its digest before it appears.",
      "An existing local file is never replaced unless --force is given."
    })
final class GetCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Mixin ConnectOptions connectOptions;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "Server (port default 30001).")
  String server;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "NAME",
      description = "Files to get; quoted patterns with * ? [...] match the server's files.")
  List<String> names;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "Where to save (default: the current directory).")
  Path dir;

  @Option(
      names = {"-f", "--force"},
      description = "Replace existing local files.")
  boolean force;

  @Override
  public Integer call() {
    HostPort address = HostPort.parse(server, ProtocolLimits.DEFAULT_PORT);
    SharedDirectory destination = SharedDirectory.open(dir, false);
    try (FileshareClient client = connectOptions.connect(parent.output(), address)) {
      boolean ok =
          new Transfers(parent.output())
              .getAll(client, names, destination, force ? WriteMode.REPLACE : WriteMode.NO_CLOBBER);
      client.bye();
      return ok ? 0 : Main.EXIT_FAILURE;
    }
  }
}
