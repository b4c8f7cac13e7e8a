package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.security.FileshareDirectories;
import dev.fileshare.security.Password;
import dev.fileshare.security.ServerIdentity;
import dev.fileshare.security.TlsEngines;
import dev.fileshare.server.AccessPolicy;
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
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "Require the password on the first line of FILE before any command (before put only,"
              + " with --anonymous-read).")
  Path passwordFile;

  @Option(
      names = "--anonymous-read",
      description = "With --password-file: anyone may list and get; put needs the password.")
  boolean anonymousRead;

  @Option(
      names = "--plain",
      description =
          "Serve without TLS: no encryption, clients cannot check the server's identity; they"
              + " must connect with --plain too. For trusted networks and benchmarks.")
  boolean plain;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the server keeps its TLS key and certificate (default:"
              + " $XDG_STATE_HOME/fileshare, else ~/.local/state/fileshare). Never inside the"
              + " shared directory.")
  Path stateDir;

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

  private AccessPolicy access() {
    if (passwordFile == null) {
      if (anonymousRead) {
        throw new FileshareException(
            ErrorCode.USAGE, "--anonymous-read needs --password-file (the password to put)");
      }
      return AccessPolicy.OPEN;
    }
    Password password = Password.fromFile(passwordFile);
    return anonymousRead ? AccessPolicy.passwordToPut(password) : AccessPolicy.password(password);
  }

  private ServerIdentity identity(Output out, String serviceName) {
    Path directory =
        stateDir != null
            ? stateDir
            : FileshareDirectories.defaultStateDir(out.environment(), out.home());
    // Before the key is made: once written into a share, it could be downloaded.
    FileshareDirectories.requireOutsideShare(directory, dir);
    ServerIdentity identity = ServerIdentity.loadOrCreate(directory, serviceName);
    if (identity.created()) {
      out.println("created a TLS key and certificate in " + identity.directory());
    }
    return identity;
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
            limits());
    AccessPolicy access = access();
    ServerIdentity identity = plain ? null : identity(out, serviceName);
    FileshareServer server =
        FileshareServer.start(config.readOnly(readOnly).withIdentity(identity).withAccess(access));
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
    if (server.config().access().password() != null) {
      out.println(
          server.config().access().anonymousRead()
              ? "  password needed to put; anyone may list and get"
              : "  password needed for every command");
    }
    if (identity == null && server.config().access().password() != null) {
      out.println("  warning: with --plain the password crosses the network unencrypted");
    }
    if (identity == null) {
      out.println("  plain TCP: not encrypted, clients cannot check who they talk to (--plain)");
    } else {
      out.println(
          "  TLS ("
              + TlsEngines.providerName()
              + "), certificate fingerprint (SHA-256) "
              + identity.fingerprint());
    }
    if (server.discoveryPort() != ServerConfig.DISCOVERY_OFF) {
      out.println("  service discovery on UDP " + host + ":" + server.discoveryPort());
    }
    out.println("Press Ctrl-C to stop.");
    server.awaitClosed();
    return 0;
  }
}
