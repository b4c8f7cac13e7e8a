package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.protocol.ProtocolLimits;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List a server's files: size, modification time, name.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Mixin ConnectOptions connectOptions;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "Server (port default 30001).")
  String server;

  @Option(names = "--bytes", description = "Sizes in exact bytes instead of KiB/MiB/GiB.")
  boolean bytes;

  @Override
  public Integer call() {
    HostPort address = HostPort.parse(server, ProtocolLimits.DEFAULT_PORT);
    try (FileshareClient client = connectOptions.connect(parent.output(), address)) {
      parent.output().print(Formats.listing(client.list(), bytes));
      client.bye();
    }
    return 0;
  }
}
