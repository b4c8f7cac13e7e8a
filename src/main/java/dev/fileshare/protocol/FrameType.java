package dev.fileshare.protocol;

/** The type byte that starts every frame. Requests are below 0x80, replies at or above. */
public enum FrameType {
  HELLO(0x01),
  LIST(0x02),
  GET(0x03),
  PUT(0x04),
  BYE(0x05),
  AUTH(0x06),
  DIGEST(0x10),
  WELCOME(0x81),
  ENTRIES(0x82),
  END(0x83),
  FILE(0x84),
  STORED(0x85),
  GOODBYE(0x86),
  AUTH_OK(0x87),
  ERROR(0xFF);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type for a wire byte, or null if no frame has that type. */
  public static FrameType of(int code) {
    return BY_CODE[code & 0xFF];
  }
}
