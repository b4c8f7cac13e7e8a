package dev.fileshare.common;

/**
 * Every failure fileshare can report, with its wire code. The same code names the error on the wire
 * (ERROR frames), in logs and in the CLI's one-line messages, so a user and a packet trace speak of
 * the same thing.
 *
 * <p>Codes below 10 are fatal on the wire: the server closes the connection after sending them.
 * Codes from 10 to 99 are recoverable: the connection stays usable. Codes from 100 up never cross
 * the wire; they describe failures seen only by the client (connection, local disk, usage).
 */
public enum ErrorCode {
  PROTOCOL_ERROR(1, "protocol error"),
  UNSUPPORTED_VERSION(2, "unsupported protocol version"),
  INTERNAL_ERROR(3, "internal server error"),
  REQUEST_TIMEOUT(4, "timed out"),
  SERVER_BUSY(5, "server busy"),
  AUTH_FAILED(6, "authentication failed"),
  TLS_MISMATCH(7, "TLS mismatch"),

  NOT_FOUND(10, "no such file"),
  INVALID_NAME(11, "invalid file name"),
  NOT_A_FILE(12, "not a regular file"),
  DIGEST_MISMATCH(13, "digest mismatch"),
  NO_SPACE(14, "no space left on device"),
  STORAGE_ERROR(15, "storage error"),
  ALREADY_EXISTS(16, "file already exists"),
  FORBIDDEN(17, "not allowed"),
  AUTH_REQUIRED(18, "password required"),

  CONNECTION_FAILED(100, "connection failed"),
  CONNECTION_LOST(101, "connection lost"),
  TIMEOUT(102, "timed out"),
  NO_SERVICE_FOUND(103, "no service found"),
  LOCAL_IO(104, "local I/O error"),
  INVALID_COMMAND(105, "invalid command"),
  NOT_CONNECTED(106, "not connected"),
  USAGE(107, "usage error"),
  FINGERPRINT_CHANGED(108, "server identity changed"),
  TLS_FAILED(109, "TLS failure"),
  LOCAL_STATE(110, "local state error");

  private final int wireCode;
  private final String summary;

  ErrorCode(int wireCode, String summary) {
    this.wireCode = wireCode;
    this.summary = summary;
  }

  public int wireCode() {
    return wireCode;
  }

  /** A short lower-case phrase for messages, e.g. "no such file". */
  public String summary() {
    return summary;
  }

  /** The server closes the connection after an error with this code. */
  public boolean isFatal() {
    return wireCode < 10;
  }

  /** Whether this code may appear in an ERROR frame. */
  public boolean isWire() {
    return wireCode < 100;
  }

  /**
   * The code for a wire value. Unknown values (from a newer peer) map to {@link #INTERNAL_ERROR}
   * when fatal-range, else {@link #STORAGE_ERROR}, so an old client still reports something
   * sensible.
   */
  public static ErrorCode fromWire(int wireCode) {
    for (ErrorCode c : values()) {
      if (c.wireCode == wireCode && c.isWire()) {
        return c;
      }
    }
    return wireCode < 10 ? INTERNAL_ERROR : STORAGE_ERROR;
  }
}
