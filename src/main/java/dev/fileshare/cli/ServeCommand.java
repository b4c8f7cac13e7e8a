package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerConfig;
import dev.fileshare.server.ServerLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Share a directory: file sharing on TCP, service discovery on UDP.",
      "Runs until stopped with Ctrl-C or SIGTERM; transfers in progress are discarded cleanly."
    })
final class ServeCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      defaultValue = "share",
      description = "Directory to share, created if missing (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "30001",
      description = "TCP port for file sharing (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--discovery-port",
      paramLabel = "PORT",
      defaultValue = "30000",
      description = "UDP port answering service discovery (default: ${DEFAULT-VALUE}).")
  int discoveryPort;

  @Option(
      names = "--no-discovery",
      description = "Do not answer service discovery; clients must know the address.")
  boolean noDiscovery;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Service name shown by scan (default: \"fileshare on HOSTNAME\").")
  String name;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "Listen on this local address only (default: all interfaces).")
  InetAddress bind;

  @Option(names = "--read-only", description = "Refuse uploads: clients may list and get only.")
  boolean readOnly;

  @Option(
      names = "--request-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Cut off a client that leaves a request unfinished or a reply unread this long"
              + " (default: ${DEFAULT-VALUE}).")
  long requestTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      defaultValue = "600",
      description =
          "Close a connection idle between requests this long (default: ${DEFAULT-VALUE}).")
  long idleTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "4096",
      description = "Connections at once, all clients together (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "N",
      defaultValue = "512",
      description = "Connections at once from one address (default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress;

  private ServerLimits limits() {
    try {
      return new ServerLimits(
          Duration.ofSeconds(requestTimeout),
          Duration.ofSeconds(idleTimeout),
          maxConnections,
          maxConnectionsPerAddress);
    } catch (IllegalArgumentException e) {
      throw new FileshareException(ErrorCode.USAGE, e.getMessage());
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Output out = parent.output();
    String serviceName = name != null ? name : "fileshare on " + HostName.get();
    ServerConfig config =
        new ServerConfig(
            dir,
            bind,
            port,
            noDiscovery ? ServerConfig.DISCOVERY_OFF : discoveryPort,
            serviceName,
            limits(),
            readOnly);
    FileshareServer server = FileshareServer.start(config);
    Thread stopper =
        new Thread(
            () -> {
              out.println("stopping: closing connections, discarding unfinished uploads");
              server.close();
              out.println("stopped");
              // A stop asked for by Ctrl-C or SIGTERM is a success, not the JVM's 130 or 143.
              Runtime.getRuntime().halt(0);
            },
            "fileshare-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    String host = bind == null ? "0.0.0.0" : bind.getHostAddress();
    int leftovers = server.storage().leftoversRemoved();
    out.println(
        "fileshare server \""
            + serviceName
            + "\" sharing "
            + server.storage().root()
            + (server.readOnly() ? " (read-only)" : "")
            + (leftovers > 0 ? " (removed " + leftovers + " unfinished uploads)" : ""));
    out.println(
        "  file sharing on TCP "
            + host
            + ":"
            + server.port()
            + " ("
            + server.transportName()
            + ")");
    if (server.discoveryPort() != ServerConfig.DISCOVERY_OFF) {
      out.println("  service discovery on UDP " + host + ":" + server.discoveryPort());
    }
    out.println("Press Ctrl-C to stop.");
    server.awaitClosed();
    return 0;
  }
}
