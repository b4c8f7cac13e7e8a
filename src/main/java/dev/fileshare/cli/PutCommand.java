package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.protocol.ProtocolLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Upload files to a server under their own names, each verified by its digest.",
      "A file of the same name on the server is replaced atomically."
    })
final class PutCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Mixin ConnectOptions connectOptions;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "Server (port default 30001).")
  String server;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Files to put.")
  List<Path> files;

  @Override
  public Integer call() {
    HostPort address = HostPort.parse(server, ProtocolLimits.DEFAULT_PORT);
    try (FileshareClient client = connectOptions.connect(parent.output(), address)) {
      boolean ok = new Transfers(parent.output()).putAll(client, files);
      client.bye();
      return ok ? 0 : Main.EXIT_FAILURE;
    }
  }
}
