package dev.fileshare.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes that bypass the page cache (O_DIRECT), for the bulk of a large received file: the data
 * goes from the caller's buffer to the disk by DMA. Through the page cache, a received GiB costs a
 * copy into the cache and a write-back to wait for (together about 0.6 s of CPU); directly,
 * neither, and the final flush finds almost nothing left to do.
 *
 * <p>The kernel takes such writes only in whole blocks, at aligned file offsets, from aligned
 * memory ({@link #ALIGNMENT}); the caller writes the rest (a file's tail) through the page cache.
 * Where the platform or the file system refuses them (no O_DIRECT, tmpfs), {@link #open} or the
 * first {@link #write} says so and the caller writes through the page cache instead.
 */
class DirectWriter implements Closeable {
  /** Offsets, lengths and buffer addresses are multiples of this; a block on every disk we know. */
  static final int ALIGNMENT = 4096;

  private static final OpenOption DIRECT = directOption();

  /**
   * Directories whose file system refused a direct handle: asked once only, since a refusal after
   * the open (JDK 17 checks the file system's alignment then) can leave a descriptor behind.
   */
  private static final Set<Path> REFUSING = ConcurrentHashMap.newKeySet();

  private final FileChannel channel;

  DirectWriter(FileChannel channel) {
    this.channel = channel;
  }

  /** A second, direct handle on {@code file}, or null if this platform cannot write directly. */
  static DirectWriter open(Path file) {
    Path directory = file.toAbsolutePath().getParent();
    if (DIRECT == null || REFUSING.contains(directory)) {
      return null;
    }
    try {
      return new DirectWriter(FileChannel.open(file, StandardOpenOption.WRITE, DIRECT));
    } catch (IOException | UnsupportedOperationException e) {
      REFUSING.add(directory); // EINVAL: the file system does not do direct I/O
      return null;
    }
  }

  /**
   * How many of {@code length} bytes can go directly at {@code position}: whole blocks, or none.
   */
  static long directPart(long position, long length) {
    return position % ALIGNMENT == 0 ? length - length % ALIGNMENT : 0;
  }

  /** Whether {@code src}'s bytes start at an aligned address, as direct writes need. */
  static boolean aligned(ByteBuffer src) {
    return src.isDirect() && src.alignmentOffset(src.position(), ALIGNMENT) == 0;
  }

  /**
   * Writes all remaining bytes of {@code src} at {@code position}; both are aligned.
   *
   * @return false, having written nothing, if the write is refused for its shape: as invalid (a
   *     file system that accepted the open), or because the file system's blocks are larger than
   *     {@link #ALIGNMENT} (the JDK checks against them before writing, so a buffer that happens to
   *     be aligned to them passes and the next one does not). The caller then writes through the
   *     page cache from there on.
   */
  boolean write(ByteBuffer src, long position) throws IOException {
    long at = position;
    try {
      while (src.hasRemaining()) {
        at += writeAt(src, at);
      }
    } catch (IOException e) {
      if (at == position && isRefusal(e)) {
        return false;
      }
      throw e;
    }
    return true;
  }

  /** One write(2) at {@code position}; a test's writer fails some on purpose. */
  int writeAt(ByteBuffer src, long position) throws IOException {
    return channel.write(src, position);
  }

  /** A refusal of the write's shape, which the page cache can take instead; not a disk error. */
  static boolean isRefusal(IOException e) {
    return StorageErrors.isUnsupported(e) || largerBlocks(e);
  }

  /** The JDK's refusal of a write that is not in whole blocks of the file system's size. */
  private static boolean largerBlocks(IOException e) {
    String message = e.getMessage();
    return message != null && message.contains("multiple of the block size");
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing is buffered in a direct handle; the file's own flush reports what failed.
    }
  }

  /** {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up: not every JDK has it. */
  private static OpenOption directOption() {
    try {
      Class<?> options = Class.forName("com.sun.nio.file.ExtendedOpenOption");
      for (Object option : options.getEnumConstants()) {
        if (option.toString().equals("DIRECT")) {
          return (OpenOption) option;
        }
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // Not this JDK.
    }
    return null;
  }
}
