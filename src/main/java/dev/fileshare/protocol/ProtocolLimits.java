package dev.fileshare.protocol;

/** Numbers every implementation of the protocol must agree on. */
public final class ProtocolLimits {
  private ProtocolLimits() {}

  /** The four bytes that open a HELLO body: ASCII "FSHR". */
  public static final byte[] MAGIC = {'F', 'S', 'H', 'R'};

  /** The highest version this implementation speaks; it answers every version from 1 up. */
  public static final int VERSION = 3;

  /** Version 2 added the password (AUTH, AUTH_OK, the access field of WELCOME). */
  public static final int FIRST_VERSION_WITH_AUTH = 2;

  /** Version 3 verifies file data with XXH3-128 instead of SHA-256; nothing else changed. */
  public static final int FIRST_VERSION_WITH_XXH3 = 3;

  public static final int DEFAULT_PORT = 30001;

  /** Type byte plus 32-bit body length. */
  public static final int HEADER_BYTES = 5;

  /**
   * Largest body a frame may announce; bigger is a protocol error, so no peer can make us buffer
   * more.
   */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Longest string field in bytes (a file name is further limited to 255 bytes by the server). */
  public static final int MAX_STRING_BYTES = 4096;

  /** Error messages are cut to this many bytes so an ERROR frame always fits. */
  public static final int MAX_MESSAGE_BYTES = 1024;
}
