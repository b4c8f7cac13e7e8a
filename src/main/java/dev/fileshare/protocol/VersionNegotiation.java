package dev.fileshare.protocol;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;

/**
 * Picks the version a connection speaks. A client announces the highest version it knows; the
 * server answers with the highest one both know. Later versions (TLS upgrade, resume, directories)
 * raise {@link ProtocolLimits#VERSION} and keep answering older clients in their own version.
 */
public final class VersionNegotiation {
  public static final int OLDEST_SUPPORTED = 1;

  private VersionNegotiation() {}

  public static int choose(int clientHighest) {
    if (clientHighest < OLDEST_SUPPORTED) {
      throw new FileshareException(
          ErrorCode.UNSUPPORTED_VERSION,
          "client speaks protocol version "
              + clientHighest
              + "; this server speaks versions "
              + OLDEST_SUPPORTED
              + " to "
              + ProtocolLimits.VERSION);
    }
    return Math.min(clientHighest, ProtocolLimits.VERSION);
  }

  /** The digest that file data carries on a connection of {@code version}. */
  public static DigestAlgorithm digestAlgorithm(int version) {
    return version >= ProtocolLimits.FIRST_VERSION_WITH_XXH3
        ? DigestAlgorithm.XXH3_128
        : DigestAlgorithm.SHA_256;
  }
}
