package dev.fileshare.common;

/**
 * The one error type of fileshare. It carries an {@link ErrorCode}, which decides how it is
 * reported: as an ERROR frame on the wire, as a one-line message and exit status in the CLI.
 */
public class FileshareException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public FileshareException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FileshareException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** "no such file: report.pdf" style text for users. */
  public String userMessage() {
    String m = getMessage();
    return m == null || m.isEmpty() ? code.summary() : m;
  }
}
