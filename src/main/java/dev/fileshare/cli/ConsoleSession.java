package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.SharedDirectory;
import java.util.List;

/**
 * The console's state between commands: the local directory, the connection (if any), what the last
 * scan found, and whether any command has failed (the exit status of a script).
 */
final class ConsoleSession {
  private final Output output;
  private final SharedDirectory localDirectory;
  private final ConnectOptions connectOptions;
  private FileshareClient client;

  /** Where the client connected, to connect again; null when not connected. */
  private HostPort address;

  private List<String> remoteNames = List.of();
  private List<String> foundHosts = List.of();
  private boolean anyFailed;
  private boolean quit;

  ConsoleSession(Output output, SharedDirectory localDirectory, ConnectOptions connectOptions) {
    this.output = output;
    this.localDirectory = localDirectory;
    this.connectOptions = connectOptions;
  }

  /** Connects as the console's options say (TLS unless --plain). */
  FileshareClient connect(HostPort to) {
    return connectOptions.connect(output, to);
  }

  Output output() {
    return output;
  }

  SharedDirectory localDirectory() {
    return localDirectory;
  }

  /**
   * The live connection, or a NOT_CONNECTED error telling the user what to do. A connection the
   * server closed for idleness while the user was away is made again, once, silently but for a
   * note: the user asked for nothing that could have failed on it.
   */
  FileshareClient client() {
    if (client != null && address != null && client.endedByServer()) {
      reconnect();
    }
    if (client != null && !client.isConnected()) {
      output.println("connection to " + client.peer() + " was lost");
      disconnect();
    }
    if (client == null) {
      throw new FileshareException(
          ErrorCode.NOT_CONNECTED,
          "not connected (use 'connect HOST [PORT]', or 'scan' to find servers)");
    }
    return client;
  }

  boolean isConnected() {
    return client != null && client.isConnected();
  }

  void connected(FileshareClient newClient, HostPort newAddress) {
    disconnect();
    client = newClient;
    address = newAddress;
    remoteNames = List.of();
  }

  private void reconnect() {
    String peer = client.peer();
    client.close();
    client = null;
    try {
      client = connect(address);
      output.println("(the server had closed the idle connection; reconnected to " + peer + ")");
    } catch (FileshareException e) {
      output.println("connection to " + peer + " was closed by the server");
      address = null;
      throw e;
    }
  }

  void disconnect() {
    if (client != null) {
      client.bye();
      client = null;
    }
    address = null;
    remoteNames = List.of();
  }

  /** Remembered for tab completion of get. */
  void rememberRemote(List<FileInfo> files) {
    remoteNames = files.stream().map(FileInfo::name).toList();
  }

  List<String> remoteNames() {
    return remoteNames;
  }

  void rememberHosts(List<String> hosts) {
    foundHosts = List.copyOf(hosts);
  }

  List<String> foundHosts() {
    return foundHosts;
  }

  String prompt() {
    return isConnected() ? "fileshare " + client.peer() + "> " : "fileshare> ";
  }

  void failed() {
    anyFailed = true;
  }

  boolean anyFailed() {
    return anyFailed;
  }

  void quit() {
    quit = true;
  }

  boolean quitting() {
    return quit;
  }
}
