package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.common.FileInfo;
import dev.fileshare.discovery.DiscoveryProtocol;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.storage.WriteMode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The commands typed at the console prompt, each a picocli subcommand, so that parsing, help and
 * completion come from one description.
 */
@Command(
    name = "",
    synopsisHeading = "",
    customSynopsis = "",
    commandListHeading = "Commands:%n",
    subcommands = {
      ConsoleCommands.Scan.class,
      ConsoleCommands.Connect.class,
      ConsoleCommands.LocalList.class,
      ConsoleCommands.RemoteList.class,
      ConsoleCommands.Put.class,
      ConsoleCommands.Get.class,
      ConsoleCommands.Bye.class,
      CommandLine.HelpCommand.class,
      ConsoleCommands.Quit.class
    },
    footer = {"", "Names with spaces go in quotes: get \"my file.txt\""})
final class ConsoleCommands {
  final ConsoleSession session;

  ConsoleCommands(ConsoleSession session) {
    this.session = session;
  }

  @Command(name = "scan", description = "Find servers on the local network.")
  static final class Scan implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Option(names = "--port", defaultValue = "30000", description = "UDP discovery port.")
    int port = DiscoveryProtocol.DEFAULT_PORT;

    @Option(names = "--timeout", defaultValue = "1", description = "Seconds to wait for answers.")
    double timeout;

    @Option(names = "--target", paramLabel = "ADDR", description = "Probe this address only.")
    List<InetAddress> targets = new ArrayList<>();

    @Override
    public Integer call() {
      List<String> hosts = new ArrayList<>();
      Output recording = console.session.output();
      boolean ok = ScanCommand.scan(recording, port, timeout, targets, hosts);
      console.session.rememberHosts(hosts);
      return ok ? 0 : 1;
    }
  }

  @Command(name = "connect", description = "Connect to a server: connect HOST [PORT].")
  static final class Connect implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Parameters(index = "0", paramLabel = "HOST", description = "Server address, or HOST:PORT.")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT", description = "Default 30001.")
    Integer port;

    @Override
    public Integer call() {
      HostPort address =
          port == null
              ? HostPort.parse(host, ProtocolLimits.DEFAULT_PORT)
              : new HostPort(host, HostPort.parsePort(String.valueOf(port), host + " " + port));
      FileshareClient client = console.session.connect(address);
      console.session.connected(client, address);
      console
          .session
          .output()
          .println(
              "connected to \""
                  + client.serverName()
                  + "\" at "
                  + client.peer()
                  + (client.encrypted() ? " (TLS)" : " (plain, not encrypted)"));
      return 0;
    }
  }

  @Command(name = "llist", description = "List the local directory's files.")
  static final class LocalList implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Option(names = "--bytes", description = "Exact sizes in bytes.")
    boolean bytes;

    @Override
    public Integer call() {
      List<FileInfo> files = console.session.localDirectory().list();
      console.session.output().print(Formats.listing(files, bytes));
      console.session.output().println(countLine(files, console.session.localDirectory().root()));
      return 0;
    }
  }

  @Command(name = "rlist", description = "List the connected server's files.")
  static final class RemoteList implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Option(names = "--bytes", description = "Exact sizes in bytes.")
    boolean bytes;

    @Override
    public Integer call() {
      FileshareClient client = console.session.client();
      List<FileInfo> files = client.list();
      console.session.rememberRemote(files);
      console.session.output().print(Formats.listing(files, bytes));
      console.session.output().println(countLine(files, null));
      return 0;
    }
  }

  @Command(name = "put", description = "Upload files from the local directory.")
  static final class Put implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Names in the local directory.")
    List<String> names;

    @Override
    public Integer call() {
      FileshareClient client = console.session.client();
      List<Path> files = new ArrayList<>();
      for (String name : names) {
        files.add(console.session.localDirectory().resolve(name));
      }
      return new Transfers(console.session.output()).putAll(client, files) ? 0 : 1;
    }
  }

  @Command(name = "get", description = "Download files into the local directory.")
  static final class Get implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Parameters(
        arity = "1..*",
        paramLabel = "FILE",
        description = "Names on the server; * ? [...] match several (get \"*.pdf\").")
    List<String> names;

    @Option(
        names = {"-f", "--force"},
        description = "Replace existing local files.")
    boolean force;

    @Override
    public Integer call() {
      FileshareClient client = console.session.client();
      WriteMode mode = force ? WriteMode.REPLACE : WriteMode.NO_CLOBBER;
      return new Transfers(console.session.output())
              .getAll(client, names, console.session.localDirectory(), mode)
          ? 0
          : 1;
    }
  }

  @Command(name = "bye", description = "Disconnect from the server.")
  static final class Bye implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Override
    public Integer call() {
      if (!console.session.isConnected()) {
        console.session.output().println("not connected");
        return 0;
      }
      console.session.disconnect();
      console.session.output().println("disconnected");
      return 0;
    }
  }

  @Command(name = "quit", aliases = "exit", description = "Leave the console.")
  static final class Quit implements Callable<Integer> {
    @ParentCommand ConsoleCommands console;

    @Override
    public Integer call() {
      console.session.quit();
      return 0;
    }
  }

  private static String countLine(List<FileInfo> files, Path where) {
    long total = files.stream().mapToLong(FileInfo::size).sum();
    String count = files.size() == 1 ? "1 file" : files.size() + " files";
    return count + ", " + Formats.size(total) + (where == null ? "" : " in " + where);
  }
}
