package dev.fileshare.protocol;

import java.util.HexFormat;

/** Lower-case hex, the form in which digests appear in messages and docs. */
public final class Hex {
  private Hex() {}

  public static String format(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
