package dev.fileshare.cli;

import dev.fileshare.protocol.ProtocolLimits;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "fileshare " + (version == null ? "(development build)" : version),
      "protocol version " + ProtocolLimits.VERSION
    };
  }
}
