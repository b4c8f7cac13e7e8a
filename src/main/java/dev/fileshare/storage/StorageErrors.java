package dev.fileshare.storage;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns the JDK's I/O exceptions into {@link FileshareException}s with a code and a message a user
 * can act on. Server and client both use it, so a full disk or a permission problem reads the same
 * wherever it happens. Messages carry the operating system's reason, never a Java class name.
 */
public final class StorageErrors {
  /** The {@code what} of reads: only there does a missing file mean {@link ErrorCode#NOT_FOUND}. */
  public static final String READING = "reading";

  public static final String WRITING = "writing";

  private StorageErrors() {}

  /**
   * The exception to report for {@code e}.
   *
   * @param what the operation that failed, as a gerund phrase: "reading", "writing", "listing
   *     shared directory"; it completes "... while {what} {name}"
   * @param name the file name or path the operation was about
   */
  public static FileshareException map(IOException e, String what, String name) {
    String shownName = FileNames.forDisplay(name);
    if (isOutOfSpace(e)) {
      return new FileshareException(
          ErrorCode.NO_SPACE, "no space left on device while " + what + " " + shownName, e);
    }
    if (e instanceof AccessDeniedException || mentions(e, "Permission denied")) {
      return new FileshareException(
          ErrorCode.STORAGE_ERROR, "permission denied while " + what + " " + shownName, e);
    }
    if (e instanceof NoSuchFileException && READING.equals(what)) {
      return new FileshareException(ErrorCode.NOT_FOUND, "no such file: " + shownName, e);
    }
    return new FileshareException(
        ErrorCode.STORAGE_ERROR,
        "I/O error while " + what + " " + shownName + ": " + osReason(e),
        e);
  }

  /** Whether the file system refused more data: a full disk or an exhausted quota. */
  static boolean isOutOfSpace(IOException e) {
    return mentions(e, "No space left on device") || mentions(e, "Disk quota exceeded");
  }

  /**
   * Whether the file system refused the operation as one it does not do (EINVAL, ENOTSUP, ENOSYS).
   */
  static boolean isUnsupported(IOException e) {
    return mentions(e, "Invalid argument")
        || mentions(e, "not supported")
        || mentions(e, "Operation not supported")
        || mentions(e, "Function not implemented");
  }

  /** Whether {@code e} or any of its causes carries {@code text} in its message. */
  private static boolean mentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.contains(text)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The operating system's own words for the failure. For a FileSystemException that is the reason
   * alone: its full message repeats the path, which may name a temporary file the user never heard
   * of.
   */
  private static String osReason(IOException e) {
    String reason;
    if (e instanceof NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof NotDirectoryException) {
      reason = "not a directory";
    } else if (e instanceof FileAlreadyExistsException) {
      reason = "a file of that name already exists";
    } else if (e instanceof ClosedChannelException) {
      reason = "the file was already closed";
    } else if (e instanceof FileSystemException fse) {
      reason = fse.getReason();
    } else {
      reason = e.getMessage();
    }
    return reason == null || reason.isBlank() ? "unknown error" : FileNames.forDisplay(reason);
  }
}
