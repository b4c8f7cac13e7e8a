package dev.fileshare.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * The file chores of the identity and the pins: private directories, whole-file replacement, locks
 * between processes, and failure reasons fit for a one-line message.
 */
final class LocalFiles {
  private LocalFiles() {}

  /** Work done while holding a lock; may fail with an {@link IOException}. */
  interface LockedWork<T> {
    T run() throws IOException;
  }

  /** Creates {@code dir} and its missing parents, readable only by the user where POSIX (XDG). */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, permissions("rwx------"));
    }
  }

  /**
   * Replaces {@code target} so that readers see the old content or the new, never a part, and a
   * crash leaves one or the other. The permissions apply before the first byte is written.
   */
  static void writeAtomically(Path target, byte[] content, String permissions) throws IOException {
    Path dir = target.getParent();
    Path temp =
        Files.createTempFile(
            dir, "." + target.getFileName() + "-", ".tmp", permissions(permissions));
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Runs {@code work} holding an exclusive lock on {@code lockFile} against other processes. A file
   * lock belongs to the whole process (a second one from another thread fails rather than waits),
   * so the threads of this process take turns first.
   */
  static <T> T underLock(Path lockFile, LockedWork<T> work) throws IOException {
    synchronized (LocalFiles.class) {
      Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try (FileChannel channel = FileChannel.open(lockFile, options, permissions("rw-------"));
          FileLock lock = channel.lock()) {
        return work.run();
      }
    }
  }

  /**
   * Why {@code e} happened, in a few lower-case words. The file involved is named only when it is
   * neither {@code subject} nor beside or inside it, since the message already names the subject.
   */
  static String reason(IOException e, Path subject) {
    String reason;
    if (e instanceof NoSuchFileException) {
      reason = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e instanceof FileAlreadyExistsException) {
      reason = "exists and is not a directory";
    } else if (e instanceof NotDirectoryException) {
      reason = "not a directory";
    } else if (e instanceof ClosedByInterruptException) {
      reason = "interrupted";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      reason = lowerFirst(f.getReason());
    } else if (e.getMessage() != null) {
      reason = lowerFirst(e.getMessage());
    } else {
      reason = e.getClass().getSimpleName();
    }
    if (e instanceof FileSystemException f
        && f.getFile() != null
        && !nearby(f.getFile(), subject)) {
      reason += " (" + f.getFile() + ")";
    }
    return reason;
  }

  private static boolean nearby(String file, Path subject) {
    Path parent = Path.of(file).getParent();
    return file.equals(subject.toString())
        || subject.equals(parent)
        || (parent != null && parent.equals(subject.getParent()));
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  private static FileAttribute<?>[] permissions(String posix) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posix))
    };
  }

  /** Makes the rename itself survive a power cut. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; the rename stands, only less durably.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A stray temporary file is harmless; the failure that brought us here matters more.
    }
  }
}
