package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.security.Fingerprints;
import dev.fileshare.security.KnownServers;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description = {
      "Pin a server's certificate fingerprint, replacing the one pinned before.",
      "Use it after a server was reinstalled (its key changed), with the fingerprint the server"
          + " prints when it starts. The client pins a server by itself on first contact."
    })
final class TrustCommand implements Callable<Integer> {
  @ParentCommand FileshareCommand parent;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "Server (port default 30001).")
  String server;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "FINGERPRINT",
      description = "SHA-256 fingerprint in hex; colons allowed.")
  String fingerprint;

  @Option(names = "--forget", description = "Remove the server's pin instead.")
  boolean forget;

  @Override
  public Integer call() {
    HostPort address = HostPort.parse(server, ProtocolLimits.DEFAULT_PORT);
    KnownServers known = ConnectOptions.knownServers(parent.output());
    String key = KnownServers.key(address.host(), address.port());
    if (forget) {
      if (fingerprint != null) {
        throw new FileshareException(ErrorCode.USAGE, "--forget takes no fingerprint");
      }
      boolean removed = known.forget(address.host(), address.port());
      parent.output().println(removed ? "forgot " + key : "no pin for " + key);
      return 0;
    }
    if (fingerprint == null) {
      throw new FileshareException(
          ErrorCode.USAGE, "give the fingerprint to pin, or --forget to remove the pin");
    }
    String canonical = Fingerprints.normalize(fingerprint);
    known.pin(address.host(), address.port(), canonical);
    parent.output().println("pinned " + key + " " + canonical + " in " + known.file());
    return 0;
  }
}
