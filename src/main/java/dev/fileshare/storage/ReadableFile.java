package dev.fileshare.storage;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;

/**
 * A shared file opened for reading. Size and modification time are taken when it is opened, so a
 * transfer announces the length it will actually send even if the file grows meanwhile.
 */
public final class ReadableFile implements AutoCloseable {
  private static final int HASH_BUFFER_BYTES = 1 << 20;

  private final String name;
  private final FileChannel channel;
  private final long size;
  private final long modifiedMillis;
  private final Path path;

  /** The file's identity when it was looked up, before opening; null if unknown. */
  private final Object fileKeyBeforeOpen;

  /**
   * The version opened, or null if unknown; with {@link #digests}, lets a digest be reused. Found
   * on first use (and before any hashing): a small file is read whole and hashed, never looked up
   * by version, and one stat less was a tenth of its system calls on the server.
   */
  private FileVersion version;

  private boolean versionKnown;

  private final Object versionLock = new Object();

  private final DigestCache digests;

  /** When the file was opened (wall clock, as file times are). */
  private final long openedMillis;

  ReadableFile(String name, FileChannel channel, long size, long modifiedMillis) {
    this(name, channel, size, modifiedMillis, null, null, null);
  }

  ReadableFile(
      String name,
      FileChannel channel,
      long size,
      long modifiedMillis,
      Path path,
      Object fileKeyBeforeOpen,
      DigestCache digests) {
    this.name = name;
    this.channel = channel;
    this.size = size;
    this.modifiedMillis = modifiedMillis;
    this.path = path;
    this.fileKeyBeforeOpen = fileKeyBeforeOpen;
    this.digests = digests;
    this.openedMillis = System.currentTimeMillis();
  }

  /**
   * Opens a file the user named by path (an upload from anywhere), to be sent under its own file
   * name, which must be a valid shared name.
   *
   * @throws FileshareException with INVALID_NAME, NOT_FOUND, NOT_A_FILE or STORAGE_ERROR
   */
  public static ReadableFile open(Path path) {
    Path fileName = path.getFileName();
    if (fileName == null) {
      throw new FileshareException(ErrorCode.NOT_A_FILE, path + " is not a file");
    }
    String name = FileNames.requireValid(fileName.toString());
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new FileshareException(
            ErrorCode.NOT_A_FILE, FileNames.forDisplay(path.toString()) + " is not a regular file");
      }
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      try {
        return new ReadableFile(
            name, channel, channel.size(), attributes.lastModifiedTime().toMillis());
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw StorageErrors.map(e, StorageErrors.READING, path.toString());
    }
  }

  public String name() {
    return name;
  }

  public FileChannel channel() {
    return channel;
  }

  public long size() {
    return size;
  }

  public long modifiedMillis() {
    return modifiedMillis;
  }

  /**
   * The digest of the file's {@link #size()} bytes if it is known without reading them (the file is
   * unchanged since its digest was last computed), else null.
   */
  public byte[] knownDigest(DigestAlgorithm algorithm) {
    if (digests == null) {
      return null;
    }
    FileVersion opened = version();
    return opened == null ? null : digests.get(opened, algorithm);
  }

  /**
   * Remembers {@code digest}, computed from this file's {@link #size()} bytes, for later {@link
   * #knownDigest} calls on the same unchanged file. Ignored if the file changed meanwhile (then the
   * digest may describe a mix of old and new bytes), and unless the file's version was looked up
   * before the hashing began ({@link #computeDigest}, {@link #findVersion} or {@link #knownDigest}
   * do).
   */
  public void rememberDigest(DigestAlgorithm algorithm, byte[] digest) {
    // Only a version found before the hashing began: one found now would describe the file as it
    // is after the hash, and comparing it with the file again would prove nothing.
    FileVersion opened = digests == null ? null : versionIfFound();
    if (opened == null) {
      return;
    }
    // Settled as of the opening, before any byte was hashed: a change in the same clock tick as
    // the last one, overlapping the hash, would leave the times unchanged.
    if (opened.isSettledAt(openedMillis) && opened.equals(FileVersion.of(path))) {
      digests.put(opened, algorithm, digest);
    }
  }

  /**
   * Looks up now, on the calling thread, the version that {@link #knownDigest} and {@link
   * #rememberDigest} use (one stat), so that their later calls on an event loop make no system
   * call.
   */
  public void findVersion() {
    version();
  }

  /**
   * The version of the file opened, or null if it cannot be told for sure: the path names the same
   * inode as before opening, and the open descriptor's size agrees with it.
   */
  private FileVersion version() {
    synchronized (versionLock) {
      if (!versionKnown) {
        FileVersion now = path == null || fileKeyBeforeOpen == null ? null : FileVersion.of(path);
        version =
            now != null && fileKeyBeforeOpen.equals(now.fileKey()) && now.size() == size
                ? now
                : null;
        versionKnown = true;
      }
      return version;
    }
  }

  /** The version if {@link #version()} has looked it up already, else null. */
  private FileVersion versionIfFound() {
    synchronized (versionLock) {
      return versionKnown ? version : null;
    }
  }

  /**
   * Computes the digest of the file's first {@link #size()} bytes by reading them with positional
   * reads, so it can run on another thread while the same channel is being sent.
   *
   * @throws FileshareException with STORAGE_ERROR if the file cannot be read or has shrunk
   */
  public byte[] computeDigest(DigestAlgorithm algorithm) {
    if (digests != null) {
      version(); // before the first byte is hashed, for rememberDigest
    }
    DigestAlgorithm.Hasher hasher = algorithm.newHasher();
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(HASH_BUFFER_BYTES, Math.max(size, 1)));
    long position = 0;
    try {
      while (position < size) {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - position));
        int n = channel.read(buffer, position);
        if (n < 0) {
          throw shrank();
        }
        hasher.update(buffer.array(), 0, n);
        position += n;
      }
    } catch (IOException e) {
      throw StorageErrors.map(e, StorageErrors.READING, name);
    }
    return hasher.finish();
  }

  /**
   * Reads the whole file ({@link #size()} bytes) into {@code into}, which must have room, and
   * returns their digest. For small files, which are cheaper to send from memory.
   *
   * @throws FileshareException with STORAGE_ERROR if the file cannot be read or has shrunk
   */
  public byte[] readFully(ByteBuffer into, DigestAlgorithm algorithm) {
    int start = into.position();
    try {
      while (into.position() - start < size) {
        if (channel.read(into, into.position() - start) < 0) {
          throw shrank();
        }
      }
    } catch (IOException e) {
      throw StorageErrors.map(e, StorageErrors.READING, name);
    }
    DigestAlgorithm.Hasher hasher = algorithm.newHasher();
    ByteBuffer view = into.duplicate();
    view.flip();
    view.position(start);
    hasher.update(view);
    return hasher.finish();
  }

  private FileshareException shrank() {
    return new FileshareException(
        ErrorCode.STORAGE_ERROR, FileNames.forDisplay(name) + " shrank while being read");
  }

  /**
   * {@link #computeDigest} on a background thread; it fails with the same exception, wrapped in a
   * {@link java.util.concurrent.CompletionException}.
   */
  public CompletableFuture<byte[]> computeDigestAsync(DigestAlgorithm algorithm) {
    return CompletableFuture.supplyAsync(() -> computeDigest(algorithm), StorageThreads.HASHERS);
  }

  /** Closes the channel. Nothing was written, so a failing close loses nothing and is ignored. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // A read-only descriptor has no pending data to lose.
    }
  }
}
