package dev.fileshare.storage;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One directory whose regular files are shared: the only way fileshare touches the file system.
 *
 * <p>Every name from outside goes through {@link FileNames}, and every existing entry is resolved
 * to its real path before use, so neither a hostile name nor a symbolic link can reach a file
 * outside the directory. Links that stay inside are followed, which lets a user share one file
 * under two names.
 *
 * <p>Thread-safe: its only mutable state is the concurrent set of unfinished receptions; concurrent
 * writers of one name are serialized by the file system's atomic rename (see {@link PendingFile}).
 */
public final class SharedDirectory {
  private static final long TEMP_SECRET = new SecureRandom().nextLong();
  private static final AtomicLong TEMP_COUNTER = new AtomicLong();

  /**
   * Directory entries read per name looked up, at most, for {@link #presentNames}: an entry read
   * from a listing costs a fraction of a system call per name (about 9 µs here).
   */
  static final int ENTRIES_PER_LOOKUP = 4;

  private final Path root;
  private final Path realRoot;
  private final int leftoversRemoved;
  private final Set<PendingFile> unfinished = ConcurrentHashMap.newKeySet();
  private final DigestCache digests = new DigestCache(DigestCache.DEFAULT_CAPACITY);

  private SharedDirectory(Path root, Path realRoot, int leftoversRemoved) {
    this.root = root;
    this.realRoot = realRoot;
    this.leftoversRemoved = leftoversRemoved;
  }

  /**
   * Opens {@code root}, creating it and its parents if missing, and removes temporary files left by
   * a crash during an earlier transfer.
   *
   * @throws FileshareException with STORAGE_ERROR if the directory cannot be created or read
   */
  public static SharedDirectory open(Path root) {
    return open(root, true);
  }

  /**
   * Opens {@code root} like {@link #open(Path)}; with {@code removeLeftovers} false the temporary
   * files of other transfers are left alone. A client uses that: another client process may be
   * downloading into the same directory right now, while a server owns its directory.
   */
  public static SharedDirectory open(Path root, boolean removeLeftovers) {
    Path absolute = root.toAbsolutePath().normalize();
    Path real;
    try {
      Files.createDirectories(absolute);
      real = absolute.toRealPath();
    } catch (FileAlreadyExistsException e) {
      throw notADirectory(absolute);
    } catch (IOException e) {
      throw StorageErrors.map(e, "opening shared directory", absolute.toString());
    }
    if (!Files.isDirectory(real)) {
      throw notADirectory(absolute);
    }
    return new SharedDirectory(absolute, real, removeLeftovers ? removeLeftovers(absolute) : 0);
  }

  /** The directory, absolute and normalized, as it was given (links in it are not resolved). */
  public Path root() {
    return root;
  }

  /** How many temporary files of interrupted transfers {@link #open} removed. */
  public int leftoversRemoved() {
    return leftoversRemoved;
  }

  /**
   * The path of the file {@code name} in this directory; it need not exist.
   *
   * @throws FileshareException with INVALID_NAME if the name is not valid, or names a link that
   *     leads outside the directory
   */
  public Path resolve(String name) {
    Path path = pathOf(name);
    realPathInside(name, path);
    return path;
  }

  /**
   * The shared files, sorted by name: regular files, and links to regular files inside the
   * directory. Directories, temporary files, links leading outside or nowhere, and names that
   * {@link FileNames} refuses are left out, since none of them could be fetched.
   *
   * @throws FileshareException with STORAGE_ERROR if the directory cannot be read
   */
  public List<FileInfo> list() {
    List<FileInfo> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        FileInfo info = sharedFileInfo(entry);
        if (info != null) {
          files.add(info);
        }
      }
    } catch (DirectoryIteratorException e) {
      throw cannotList(e.getCause());
    } catch (IOException e) {
      throw cannotList(e);
    }
    files.sort(Comparator.comparing(FileInfo::name));
    return files;
  }

  /**
   * Opens the shared file {@code name} for reading.
   *
   * @throws FileshareException with INVALID_NAME, NOT_FOUND, NOT_A_FILE, or STORAGE_ERROR if
   *     permission is denied or the read fails
   */
  public ReadableFile openForRead(String name) {
    Path path = pathOf(name);
    try {
      // One lstat answers the common case, a regular file that is not a link: it is exactly where
      // its name says (a name is one path component, and the root was resolved at open).
      Path real = realRoot.resolve(name);
      BasicFileAttributes attributes =
          Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        // A link that leads nowhere, in a loop or through a file counts as nothing, as in list().
        real = realPathInside(name, path);
        if (real == null) {
          throw noSuchFile(name);
        }
        attributes =
            Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      }
      // Checked before opening: opening a FIFO would block, and a directory opens without error.
      if (!attributes.isRegularFile()) {
        throw notAFile(name, attributes);
      }
      // NOFOLLOW_LINKS: the checked real path must not turn into a link before it is opened.
      FileChannel channel =
          FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      try {
        long size = channel.size();
        return new ReadableFile(
            name,
            channel,
            size,
            attributes.lastModifiedTime().toMillis(),
            real,
            attributes.fileKey(),
            digests);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      // A name that is not there (NoSuchFileException) comes out as NOT_FOUND.
      throw StorageErrors.map(e, StorageErrors.READING, name);
    }
  }

  /**
   * Starts receiving the file {@code name}. Data goes to a hidden temporary file in this directory,
   * so that the final rename stays on one file system and is atomic.
   *
   * @throws FileshareException with INVALID_NAME, NOT_A_FILE if a directory has that name, or
   *     NO_SPACE or STORAGE_ERROR if the temporary file cannot be created
   */
  public PendingFile create(String name) {
    return create(name, WriteMode.REPLACE, DigestAlgorithm.SHA_256);
  }

  /**
   * As {@link #create(String)}; with {@link WriteMode#NO_CLOBBER}, a name already taken is refused
   * at once with ALREADY_EXISTS (the commit checks again, as the name may be taken meanwhile).
   * Costs one system call before the file is made when the name is new, the common case. The data
   * is hashed with {@code digest} as it is written, for the check at commit.
   */
  public PendingFile create(String name, WriteMode mode, DigestAlgorithm digest) {
    return create(name, mode, digest, null);
  }

  /**
   * As {@link #create(String, WriteMode, DigestAlgorithm)}, skipping the look-up of a name that
   * {@code present} (from {@link #presentNames}, or null) does not hold: it was free when the
   * directory was read, and the commit refuses it if it has been taken since.
   */
  public PendingFile create(
      String name, WriteMode mode, DigestAlgorithm digest, Set<String> present) {
    Path target = pathOf(name);
    if ((present == null || present.contains(folded(name))) && Files.exists(target)) {
      if (mode == WriteMode.NO_CLOBBER) {
        throw new FileshareException(
            ErrorCode.ALREADY_EXISTS, FileNames.forDisplay(name) + " already exists");
      }
      realPathOfExisting(name, target);
      // Refused now rather than after the whole transfer, when the rename would fail.
      if (Files.isDirectory(target)) {
        throw new FileshareException(
            ErrorCode.NOT_A_FILE,
            FileNames.forDisplay(name) + " is a directory; it cannot be replaced by a file");
      }
    }
    Path temp = root.resolve(FileNames.TEMP_FILE_PREFIX + randomHex());
    try {
      FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      PendingFile file = new PendingFile(name, target, temp, channel, digest, unfinished::remove);
      unfinished.add(file);
      return file;
    } catch (IOException e) {
      throw StorageErrors.map(e, "creating", name);
    }
  }

  /**
   * The names in this directory now (in one Unicode form and lower case, see {@link #folded}), for
   * {@link #create(String, WriteMode, DigestAlgorithm, Set)} to skip looking up each of {@code
   * lookups} names in turn; null if the directory holds more than {@link #ENTRIES_PER_LOOKUP}
   * entries per look-up, when reading it would cost more than the look-ups (or if it cannot be
   * read: the look-ups then report what is wrong).
   */
  public Set<String> presentNames(int lookups) {
    long limit = (long) lookups * ENTRIES_PER_LOOKUP;
    Set<String> names = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        if (names.size() >= limit) {
          return null;
        }
        names.add(folded(entry.getFileName().toString()));
      }
    } catch (IOException | DirectoryIteratorException e) {
      return null;
    }
    return names;
  }

  /**
   * Discards every file still being received (closing and deleting its temporary file), for a
   * server that shuts down: nothing unfinished may outlive the process.
   *
   * @return how many were discarded
   */
  public int discardUnfinished() {
    int count = 0;
    for (PendingFile file : List.copyOf(unfinished)) {
      file.abort();
      count++;
    }
    return count;
  }

  @Override
  public String toString() {
    return root.toString();
  }

  private Path pathOf(String name) {
    FileNames.requireValid(name);
    try {
      return root.resolve(name);
    } catch (InvalidPathException e) {
      // Only happens when the JVM's file name encoding is not UTF-8 (e.g. the "C" locale).
      throw new FileshareException(
          ErrorCode.INVALID_NAME,
          FileNames.invalidNameMessage(
              name, "it cannot be represented in this system's file name encoding"));
    }
  }

  /**
   * The real path of {@code path}, or null if nothing exists there (a dangling link counts as
   * nothing: reading it finds no file, and writing replaces the link itself, never its target).
   *
   * @throws FileshareException with INVALID_NAME if the real path is outside the directory
   */
  private Path realPathInside(String name, Path path) {
    // The common cases, checked cheaply (no exception for a missing file, which costs more than
    // the system calls): nothing there, or an entry that is not a link and so is exactly where
    // its name says (a name is one path component, and the root was resolved at open). A link
    // that leads nowhere fails the first check, as it counts as nothing.
    return Files.exists(path) ? realPathOfExisting(name, path) : null;
  }

  /**
   * As {@link #realPathInside}, for a {@code path} known to exist (it may vanish meanwhile, or be a
   * link that now leads nowhere: null then).
   */
  private Path realPathOfExisting(String name, Path path) {
    if (!Files.isSymbolicLink(path)) {
      return realRoot.resolve(name);
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw StorageErrors.map(e, "resolving", name);
    }
    if (!real.startsWith(realRoot)) {
      throw new FileshareException(
          ErrorCode.INVALID_NAME,
          FileNames.invalidNameMessage(name, "it leads outside the shared directory"));
    }
    return real;
  }

  /** What {@link #list} shows of {@code entry}, or null if it is not a shared file. */
  private FileInfo sharedFileInfo(Path entry) {
    String name = entry.getFileName().toString();
    if (!FileNames.isValid(name) || !nameRoundTrips(name, entry)) {
      return null;
    }
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        Path real = entry.toRealPath();
        if (!real.startsWith(realRoot)) {
          return null;
        }
        attributes = Files.readAttributes(real, BasicFileAttributes.class);
      }
      if (!attributes.isRegularFile()) {
        return null;
      }
      return new FileInfo(name, attributes.size(), attributes.lastModifiedTime().toMillis());
    } catch (IOException e) {
      // Vanished since the directory was read, a dangling link, or unreadable: not fetchable, so
      // not listed; one bad entry must not hide the others.
      return null;
    }
  }

  /**
   * Whether {@code name} finds {@code entry} again. It does not when the on-disk name is not valid
   * in the JVM's file name encoding (e.g. Latin-1 bytes under UTF-8): the decoded name then holds
   * replacement characters, and a request for it would find nothing.
   */
  private boolean nameRoundTrips(String name, Path entry) {
    try {
      return root.resolve(name).equals(entry);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The message goes to remote clients too: it names no path of the server's. */
  private FileshareException cannotList(IOException e) {
    return StorageErrors.map(e, "listing", "the shared directory");
  }

  private static int removeLeftovers(Path dir) {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (FileNames.isTemporary(entry.getFileName().toString())
            && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
            && deleteQuietly(entry)) {
          removed++;
        }
      }
    } catch (DirectoryIteratorException e) {
      throw StorageErrors.map(e.getCause(), "reading shared directory", dir.toString());
    } catch (IOException e) {
      throw StorageErrors.map(e, "reading shared directory", dir.toString());
    }
    return removed;
  }

  /** A leftover that cannot be deleted stays hidden from listings; it must not stop the server. */
  private static boolean deleteQuietly(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      return false;
    }
  }

  private static FileshareException notADirectory(Path path) {
    return new FileshareException(
        ErrorCode.STORAGE_ERROR,
        "cannot use "
            + FileNames.forDisplay(path.toString())
            + " as shared directory: it is not a directory");
  }

  /**
   * A name as {@link #presentNames} keeps it: in one Unicode form and lower case, so that on a file
   * system that does not tell such names apart (FAT, exFAT, macOS's) a name differing only so is
   * still looked up, and refused before its transfer rather than after.
   */
  private static String folded(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }

  private static FileshareException noSuchFile(String name) {
    return new FileshareException(
        ErrorCode.NOT_FOUND, "no such file: " + FileNames.forDisplay(name));
  }

  private static FileshareException notAFile(String name, BasicFileAttributes attributes) {
    String shown = FileNames.forDisplay(name);
    return new FileshareException(
        ErrorCode.NOT_A_FILE,
        attributes.isDirectory()
            ? shown + " is a directory, not a regular file"
            : shown + " is not a regular file");
  }

  /**
   * A temporary file's name: unique (the create fails rather than reuse one) and hard to guess from
   * outside the directory. A secure random per file cost more than the rest of a small file's work
   * on the client (NativePRNG mixes in SHA-1), so a secret drawn once is mixed with a counter
   * instead; anyone who can read the directory could see the names anyway.
   */
  private static String randomHex() {
    long n = TEMP_COUNTER.incrementAndGet();
    // A bijective mix (SplitMix64's finaliser): distinct counters give distinct names.
    long z = TEMP_SECRET + n * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return HexFormat.of().toHexDigits(z);
  }
}
