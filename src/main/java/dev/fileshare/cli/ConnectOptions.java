package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.PasswordSource;
import dev.fileshare.client.TlsPolicy;
import dev.fileshare.security.FileshareDirectories;
import dev.fileshare.security.KnownServers;
import dev.fileshare.security.Password;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the client commands connect: TLS with pinning unless told --plain. A picocli mixin. */
final class ConnectOptions {
  static final String PASSWORD_VARIABLE = "FILESHARE_PASSWORD";

  private final Map<String, String> remembered = new HashMap<>();
  private TlsPolicy tls;

  @Option(
      names = "--plain",
      description =
          "Connect without TLS, to a server started with --plain: no encryption and no check of"
              + " the server's identity. For trusted networks only.")
  boolean plain;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "The server's password is the first line of FILE. Otherwise it comes from"
              + " FILESHARE_PASSWORD, or is asked for on a terminal; only if the server needs one.")
  Path passwordFile;

  /** Connects as these options say; first contacts with TLS servers are told on stderr. */
  FileshareClient connect(Output output, HostPort address) {
    if (!plain && tls == null) {
      // One per command: the console's connections and reconnections share its TLS context.
      tls = tlsPolicy(output);
    }
    return FileshareClient.connect(
        address.host(),
        address.port(),
        FileshareClient.CONNECT_TIMEOUT,
        FileshareClient.READ_TIMEOUT,
        tls,
        passwords(output));
  }

  /**
   * The password, looked for only when a server asks: the file given, else the variable, else the
   * terminal. Kept per server for the console's reconnections; forgotten when refused, so that a
   * mistyped one is asked again rather than spent on the server's few attempts.
   */
  private PasswordSource passwords(Output output) {
    return new PasswordSource() {
      @Override
      public String password(String peer) {
        String password = remembered.get(peer);
        if (password == null) {
          password = lookUp(output, peer);
          if (password == null) {
            return null;
          }
          remembered.put(peer, password);
        }
        if (plain) {
          output.note(
              "sending the password to "
                  + peer
                  + " unencrypted (--plain): anyone on the network path can read it");
        }
        return password;
      }

      @Override
      public void rejected(String peer) {
        remembered.remove(peer);
      }
    };
  }

  private String lookUp(Output output, String peer) {
    if (passwordFile != null) {
      return Password.firstLine(passwordFile);
    }
    String variable = output.environment().get(PASSWORD_VARIABLE);
    if (variable != null && !variable.isEmpty()) {
      return variable;
    }
    return output.askPassword(peer);
  }

  static TlsPolicy tlsPolicy(Output output) {
    return new TlsPolicy(knownServers(output), output::note);
  }

  static KnownServers knownServers(Output output) {
    return new KnownServers(
        FileshareDirectories.defaultConfigDir(output.environment(), output.home())
            .resolve("known_servers"));
  }
}
