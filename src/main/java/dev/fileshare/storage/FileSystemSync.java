package dev.fileshare.storage;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * syncfs(2): flushes every written file of one file system, and its metadata, in one call. A group
 * of received files then costs one disk flush instead of one each; the JDK has no such call, so it
 * is reached through JNA. Where it is missing (not Linux, no JNA native library, or a kernel before
 * 5.8, whose syncfs does not report write-back errors), callers flush file by file.
 *
 * <p>A write-back error (a failing disk, a thin volume out of space) is reported once to each open
 * descriptor that predates it, and syncfs reports it only to the descriptor it is called on. So
 * while any file of ours is being written on a file system, that file system has one descriptor
 * here, opened before the first of them ({@link #acquire}) and closed after the last ({@link
 * #release}), and every syncfs goes through it: a fresh descriptor per call would miss an error
 * that an earlier call, or another process, had already been told of. Once told, a caller must not
 * trust a later syncfs for files that were open at the time: their own descriptors still know.
 * Closing it when idle leaves the file system free to be unmounted.
 */
final class FileSystemSync {
  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0x10000;
  private static final int O_CLOEXEC = 0x80000;

  /** What {@link #sync} did. */
  enum Outcome {
    /** Flushed, and no write-back error since the last call. */
    SYNCED,
    /** A write-back error was reported: some data written since the last call may be lost. */
    FAILED,
    /** Not done (no syncfs here, or no descriptor): flush file by file. */
    UNAVAILABLE
  }

  private static final boolean AVAILABLE = load();

  /** A file system's descriptor and how many are using it; what {@link #acquire} hands out. */
  static final class Watched {
    private final Object device;
    private final int fd;

    /** Guarded by {@link #WATCHED}. */
    private int users;

    private Watched(Object device, int fd) {
      this.device = device;
      this.fd = fd;
    }
  }

  /** By device number; guarded by itself. */
  private static final Map<Object, Watched> WATCHED = new HashMap<>();

  /** The device of each directory asked for: a look-up instead of a stat per file. */
  private static final Map<Path, Object> DEVICES = new ConcurrentHashMap<>();

  private FileSystemSync() {}

  static boolean available() {
    return AVAILABLE;
  }

  /**
   * Opens the descriptor of {@code directory}'s file system unless it is open, and counts one more
   * user; before a file is written there, so that its write-back errors reach the descriptor.
   *
   * @return the hold to {@link #release}, or null if there is none (no syncfs here, or the
   *     directory cannot be opened: {@link #sync} then says UNAVAILABLE)
   */
  static Watched acquire(Path directory) {
    Object device = deviceOf(directory);
    if (device == null) {
      return null;
    }
    synchronized (WATCHED) {
      Watched watched = WATCHED.get(device);
      if (watched == null) {
        Integer fd = open(directory);
        if (fd == null) {
          return null;
        }
        watched = new Watched(device, fd);
        WATCHED.put(device, watched);
      }
      watched.users++;
      return watched;
    }
  }

  /** Counts one user less; the last closes the descriptor. Null (nothing acquired) is ignored. */
  static void release(Watched watched) {
    if (watched == null) {
      return;
    }
    synchronized (WATCHED) {
      if (--watched.users > 0) {
        return;
      }
      WATCHED.remove(watched.device);
      try {
        LibC.close(watched.fd);
      } catch (LastErrorException ignored) {
        // A read-only descriptor: nothing is lost.
      }
    }
  }

  /** Flushes the file system holding {@code directory}, through its kept descriptor. */
  static Outcome sync(Path directory) {
    Watched watched = acquire(directory);
    if (watched == null) {
      return Outcome.UNAVAILABLE;
    }
    try {
      LibC.syncfs(watched.fd);
      return Outcome.SYNCED;
    } catch (LastErrorException e) {
      return Outcome.FAILED;
    } finally {
      release(watched);
    }
  }

  /** How many file systems have a descriptor open now; for tests. */
  static int watched() {
    synchronized (WATCHED) {
      return WATCHED.size();
    }
  }

  private static Object deviceOf(Path directory) {
    if (!AVAILABLE) {
      return null;
    }
    return DEVICES.computeIfAbsent(
        directory,
        d -> {
          try {
            return Files.getAttribute(d, "unix:dev");
          } catch (IOException | RuntimeException e) {
            return null; // asked again next time
          }
        });
  }

  private static Integer open(Path directory) {
    try {
      return LibC.open(directory.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    } catch (LastErrorException e) {
      return null; // not readable, or out of descriptors: flushed file by file
    }
  }

  private static boolean load() {
    if (!Platform.isLinux() || !reportsWriteBackErrors(System.getProperty("os.version", ""))) {
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

  /** Whether a Linux kernel of this version reports write-back errors from syncfs (5.8 on). */
  static boolean reportsWriteBackErrors(String kernelVersion) {
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(kernelVersion);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 5 || (major == 5 && minor >= 8);
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
