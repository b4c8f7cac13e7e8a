package dev.fileshare.discovery;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Constants of the UDP discovery exchange: a client sends the probe text to {@link #DEFAULT_PORT};
 * a server answers the sender with a {@link ServiceAnnouncement}. Kept compatible with the original
 * design, whose servers answer with a bare service name.
 */
public final class DiscoveryProtocol {
  /** The whole probe payload; anything else sent to the discovery port is ignored. */
  public static final String PROBE = "SERVICE DISCOVERY";

  public static final int DEFAULT_PORT = 30000;

  /** The TCP port of original-design servers, which do not announce one. */
  public static final int ORIGINAL_TCP_PORT = 30001;

  /** The largest reply we ever send. */
  public static final int MAX_REPLY_BYTES = 512;

  /**
   * The largest reply we accept. Larger than what we send, so that future servers may add fields
   * without being ignored by this client.
   */
  public static final int MAX_ACCEPTED_REPLY_BYTES = 2048;

  /** Upper bound of a service name, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 200;

  private static final byte[] PROBE_BYTES = PROBE.getBytes(StandardCharsets.US_ASCII);

  private DiscoveryProtocol() {}

  /** The probe's US-ASCII bytes; a fresh copy, since arrays cannot be made read-only. */
  public static byte[] probeBytes() {
    return PROBE_BYTES.clone();
  }

  /** Whether the bytes are exactly the probe: no trailing newline, no other case, nothing more. */
  public static boolean isProbe(byte[] data, int offset, int length) {
    if (data == null || offset < 0 || length != PROBE_BYTES.length) {
      return false;
    }
    if (offset > data.length - length) {
      return false;
    }
    return Arrays.equals(data, offset, offset + length, PROBE_BYTES, 0, PROBE_BYTES.length);
  }

  public static boolean isProbe(byte[] data) {
    return data != null && isProbe(data, 0, data.length);
  }

  /** Whether the readable bytes are exactly the probe. Does not move the reader index. */
  public static boolean isProbe(ByteBuf buf) {
    if (buf == null || buf.readableBytes() != PROBE_BYTES.length) {
      return false;
    }
    int start = buf.readerIndex();
    for (int i = 0; i < PROBE_BYTES.length; i++) {
      if (buf.getByte(start + i) != PROBE_BYTES[i]) {
        return false;
      }
    }
    return true;
  }
}
