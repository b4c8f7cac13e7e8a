package dev.fileshare.integration;

import dev.fileshare.common.DigestAlgorithm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

final class TestFiles {
  private TestFiles() {}

  static Path random(Path dir, String name, int size, long seed) throws IOException {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  /** A sparse file of {@code size} bytes with recognisable data at both ends and the middle. */
  static Path sparse(Path dir, String name, long size) throws IOException {
    Path path = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
      f.setLength(size);
      f.seek(0);
      f.write("head".getBytes());
      f.seek((1L << 32) - 2);
      f.write("across the 4 GiB line".getBytes());
      f.seek(size - 4);
      f.write("tail".getBytes());
    }
    return path;
  }

  static String sha256(Path path) {
    return digest(path, DigestAlgorithm.SHA_256);
  }

  /** The file's digest by {@code algorithm}, in hex, as a transfer result reports it. */
  static String digest(Path path, DigestAlgorithm algorithm) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      DigestAlgorithm.Hasher hasher = algorithm.newHasher();
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        hasher.update(buffer);
        buffer.clear();
      }
      return HexFormat.of().formatHex(hasher.finish());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every entry of a directory, hidden ones included. */
  static List<String> entries(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
