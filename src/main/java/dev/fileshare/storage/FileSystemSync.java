package dev.fileshare.storage;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.file.Path;

/**
 * syncfs(2): flushes every written file of one file system, and its metadata, in one call. A group
 * of received files then costs one disk flush instead of one each; the JDK has no such call, so it
 * is reached through JNA. Where it is missing (not Linux, no JNA native library), {@link
 * #available()} is false and callers flush file by file.
 */
final class FileSystemSync {
  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_CLOEXEC = 0x80000;

  private static final boolean AVAILABLE = load();

  private FileSystemSync() {}

  static boolean available() {
    return AVAILABLE;
  }

  /**
   * Flushes the file system holding {@code directory}.
   *
   * @return true if it was flushed, false if that could not be done (the caller must then flush its
   *     files one by one)
   */
  static boolean sync(Path directory) {
    if (!AVAILABLE) {
      return false;
    }
    int fd;
    try {
      fd = LibC.open(directory.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } catch (LastErrorException e) {
      return false;
    }
    try {
      LibC.syncfs(fd);
      return true;
    } catch (LastErrorException e) {
      return false;
    } finally {
      try {
        LibC.close(fd);
      } catch (LastErrorException ignored) {
        // A read-only descriptor: nothing is lost.
      }
    }
  }

  private static boolean load() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      LibC.syncfs(-1);
    } catch (LastErrorException expected) {
      return true; // EBADF: the call exists and answers
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
    return true;
  }

  /** Direct mapping: the cheapest way JNA has to call C. */
  private static final class LibC {
    static {
      Native.register(NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int syncfs(int fd) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
  }
}
