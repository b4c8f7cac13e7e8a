package dev.fileshare.cli;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.PasswordSource;
import dev.fileshare.client.TlsPolicy;
import dev.fileshare.security.FileshareDirectories;
import dev.fileshare.security.KnownServers;
import dev.fileshare.security.Password;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the client commands connect: TLS with pinning unless told --plain. A picocli mixin. */
final class ConnectOptions {
  static final String PASSWORD_VARIABLE = "FILESHARE_PASSWORD";

  private String remembered;

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
    TlsPolicy tls = plain ? null : tlsPolicy(output);
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
   * terminal. Read once, then kept for reconnections of the same console.
   */
  private PasswordSource passwords(Output output) {
    return peer -> {
      if (remembered != null) {
        return remembered;
      }
      if (passwordFile != null) {
        remembered = Password.firstLine(passwordFile);
      } else if (output.environment().get(PASSWORD_VARIABLE) != null
          && !output.environment().get(PASSWORD_VARIABLE).isEmpty()) {
        remembered = output.environment().get(PASSWORD_VARIABLE);
      } else {
        remembered = output.askPassword(peer);
      }
      return remembered;
    };
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
