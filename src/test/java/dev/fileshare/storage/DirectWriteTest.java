package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large files written past the page cache: the same bytes, whatever mix of writes they take. */
class DirectWriteTest {
  private static final int BLOCK = DirectWriter.ALIGNMENT;

  @TempDir Path tmp;

  @Test
  void wholeBlocksGoDirectlyAndTheTailThroughTheCache() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(3 * 16 * BLOCK + 1000);

    try (PendingFile file = shared.create("big.bin")) {
      assumeThat(file.bypassPageCache()).as("this file system does direct I/O").isTrue();
      // Three full chunks, then one with the last partial block.
      file.write(aligned(data, 0, 16 * BLOCK));
      file.write(aligned(data, 16 * BLOCK, 16 * BLOCK));
      file.write(aligned(data, 32 * BLOCK, 16 * BLOCK + 1000));
      assertThat(file.bytesWritten()).isEqualTo(data.length);
      file.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.readAllBytes(shared.root().resolve("big.bin"))).isEqualTo(data);
  }

  @Test
  void anUnalignedStartSendsEverythingThroughTheCache() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(100 + 8 * BLOCK);

    try (PendingFile file = shared.create("odd.bin")) {
      file.bypassPageCache();
      file.write(aligned(data, 0, 100));
      file.write(aligned(data, 100, 8 * BLOCK));
      file.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.readAllBytes(shared.root().resolve("odd.bin"))).isEqualTo(data);
  }

  @Test
  void buffersOfAnyKindAreWrittenCorrectly() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(4 * BLOCK + 7);

    try (PendingFile file = shared.create("heap.bin")) {
      file.bypassPageCache();
      // A heap buffer, and a direct one starting off alignment: the kernel may refuse either
      // directly (then the page cache takes them), never write them wrong.
      file.write(ByteBuffer.wrap(data, 0, 2 * BLOCK));
      ByteBuffer skewed = ByteBuffer.allocateDirect(2 * BLOCK + 64);
      skewed.position(3);
      skewed.put(data, 2 * BLOCK, 2 * BLOCK + 7).flip().position(3);
      file.write(skewed);
      file.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.readAllBytes(shared.root().resolve("heap.bin"))).isEqualTo(data);
  }

  @Test
  void anAbortedDirectFileLeavesNothingBehind() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(8 * BLOCK);

    try (PendingFile file = shared.create("gone.bin")) {
      file.bypassPageCache();
      file.write(aligned(data, 0, data.length));
      file.abort();
    }

    try (Stream<Path> left = Files.list(shared.root())) {
      assertThat(left).isEmpty();
    }
  }

  /** tmpfs has no direct I/O: the request is declined and the file is written as usual. */
  @Test
  void aFileSystemWithoutDirectIoStillGetsTheFile() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeThat(Files.isDirectory(shm) && Files.isWritable(shm)).as("/dev/shm is usable").isTrue();
    Path dir = Files.createTempDirectory(shm, "fileshare-direct-");
    try {
      SharedDirectory shared = SharedDirectory.open(dir);
      byte[] data = random(4 * BLOCK + 5);
      try (PendingFile file = shared.create("ram.bin")) {
        file.bypassPageCache();
        file.write(aligned(data, 0, data.length));
        file.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
      }
      assertThat(Files.readAllBytes(dir.resolve("ram.bin"))).isEqualTo(data);
    } finally {
      deleteTree(dir);
    }
  }

  @Test
  void onlyAlignedDirectMemoryQualifies() {
    ByteBuffer direct = ByteBuffer.allocateDirect(3 * BLOCK).alignedSlice(BLOCK);
    assertThat(DirectWriter.aligned(direct)).isTrue();
    assertThat(DirectWriter.aligned(direct.position(8))).isFalse();
    assertThat(DirectWriter.aligned(ByteBuffer.allocate(2 * BLOCK))).isFalse();
  }

  @Test
  void onlyWholeBlocksAtAlignedOffsetsGoDirectly() {
    assertThat(DirectWriter.directPart(0, 3 * BLOCK + 5)).isEqualTo(3 * BLOCK);
    assertThat(DirectWriter.directPart(2 * BLOCK, BLOCK)).isEqualTo(BLOCK);
    assertThat(DirectWriter.directPart(100, 3 * BLOCK)).isZero();
    assertThat(DirectWriter.directPart(0, BLOCK - 1)).isZero();
  }

  /** {@code length} bytes of {@code data} from {@code offset}, in 4 KiB-aligned direct memory. */
  private static ByteBuffer aligned(byte[] data, int offset, int length) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(length + 2 * BLOCK).alignedSlice(BLOCK);
    buffer.put(data, offset, length).flip();
    return buffer;
  }

  private static byte[] random(int length) {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    return data;
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
