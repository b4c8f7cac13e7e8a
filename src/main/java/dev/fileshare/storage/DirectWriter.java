package dev.fileshare.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes that bypass the page cache (O_DIRECT), for the bulk of a large received file: the data
 * goes from the caller's buffer to the disk by DMA. Through the page cache, a received GiB costs a
 * copy into the cache and a write-back to wait for (together about as much CPU as the SHA-256);
 * directly, neither, and the final flush finds almost nothing left to do.
 *
 * <p>The kernel takes such writes only in whole blocks, at aligned file offsets, from aligned
 * memory ({@link #ALIGNMENT}); the caller writes the rest (a file's tail) through the page cache.
 * Where the platform or the file system refuses them (no O_DIRECT, tmpfs), {@link #open} or the
 * first {@link #write} says so and the caller writes through the page cache instead.
 */
final class DirectWriter implements Closeable {
  /** Offsets, lengths and buffer addresses are multiples of this; a block on every disk we know. */
  static final int ALIGNMENT = 4096;

  private static final OpenOption DIRECT = directOption();

  private final FileChannel channel;
  private boolean written;

  private DirectWriter(FileChannel channel) {
    this.channel = channel;
  }

  /** A second, direct handle on {@code file}, or null if this platform cannot write directly. */
  static DirectWriter open(Path file) {
    if (DIRECT == null) {
      return null;
    }
    try {
      return new DirectWriter(FileChannel.open(file, StandardOpenOption.WRITE, DIRECT));
    } catch (IOException | UnsupportedOperationException e) {
      return null; // EINVAL: the file system does not do direct I/O
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
   * @return false, having written nothing, if direct writes turn out not to work here (the first
   *     write is refused as invalid: unaligned memory, or a file system that accepted the open)
   */
  boolean write(ByteBuffer src, long position) throws IOException {
    long at = position;
    try {
      while (src.hasRemaining()) {
        at += channel.write(src, at);
      }
    } catch (IOException e) {
      if (!written && at == position && (StorageErrors.isUnsupported(e) || largerBlocks(e))) {
        return false;
      }
      throw e;
    }
    written = true;
    return true;
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
