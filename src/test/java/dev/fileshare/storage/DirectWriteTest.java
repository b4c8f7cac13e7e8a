package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /**
   * tmpfs: direct I/O is declined (or, on Linux 6.6 and later, taken as a plain write); the file is
   * right either way.
   */
  @Test
  void aFileSystemWithoutDirectIoStillGetsTheFile() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeThat(Files.isDirectory(shm) && Files.isWritable(shm)).as("/dev/shm is usable").isTrue();
    Path dir = Files.createTempDirectory(shm, "fileshare-direct-");
    try {
      SharedDirectory shared = SharedDirectory.open(dir);
      byte[] data = random(4 * BLOCK + 5);
      try (PendingFile file = shared.create("ram.bin")) {
        file.bypassPageCacheStaged();
        file.write(aligned(data, 0, data.length));
        file.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
      }
      assertThat(Files.readAllBytes(dir.resolve("ram.bin"))).isEqualTo(data);
    } finally {
      deleteTree(dir);
    }
  }

  /** The server's case: network buffers of any size, gathered into aligned 1 MiB stages. */
  @Test
  void stagedWritesOfAnySizeMakeTheSameFile() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(2 * StagingBuffers.BUFFER_BYTES + 300_123);
    int free = StagingBuffers.available();

    try (PendingFile file = shared.create("upload.bin")) {
      assumeThat(file.bypassPageCacheStaged()).as("this file system does direct I/O").isTrue();
      assertThat(StagingBuffers.available()).isEqualTo(free - 2);
      int offset = 0;
      int step = 1;
      while (offset < data.length) {
        // Sizes from 1 byte to about 200 KiB, some in one write of several buffers.
        int n = Math.min(data.length - offset, step);
        int half = n / 2;
        file.write(
            new ByteBuffer[] {
              ByteBuffer.wrap(data, offset, half), ByteBuffer.wrap(data, offset + half, n - half)
            });
        offset += n;
        step = step * 3 + 7;
        if (step > 200_000) {
          step = 4095;
        }
      }
      file.commit(sha256(data), -1, WriteMode.REPLACE);
    }

    assertThat(Files.readAllBytes(shared.root().resolve("upload.bin"))).isEqualTo(data);
    assertThat(StagingBuffers.available()).isEqualTo(free);
  }

  @Test
  void anAbortedStagedFileGivesItsBufferBack() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    int free = StagingBuffers.available();

    try (PendingFile file = shared.create("cut.bin")) {
      assumeThat(file.bypassPageCacheStaged()).as("this file system does direct I/O").isTrue();
      file.write(ByteBuffer.wrap(random(StagingBuffers.BUFFER_BYTES + 10)));
      file.abort();
    }

    assertThat(StagingBuffers.available()).isEqualTo(free);
    try (Stream<Path> left = Files.list(shared.root())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void withNoStagingBufferFreeThePageCacheTakesTheData() throws Exception {
    pageCacheTakesTheDataWithStagingBuffersFree(0, "busy.bin");
  }

  @Test
  void withOneStagingBufferFreeThePageCacheTakesTheDataAndTheBufferStaysFree() throws Exception {
    pageCacheTakesTheDataWithStagingBuffersFree(1, "one.bin");
  }

  /** An upload needs two staging buffers; with fewer free it goes through the page cache. */
  private void pageCacheTakesTheDataWithStagingBuffersFree(int free, String name) throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(StagingBuffers.BUFFER_BYTES + 77);
    java.util.List<StagingBuffers.Lease> all = new java.util.ArrayList<>();
    try {
      for (StagingBuffers.Lease lease; (lease = StagingBuffers.take()) != null; ) {
        all.add(lease);
      }
      for (int i = 0; i < free; i++) {
        all.remove(0).release();
      }
      try (PendingFile file = shared.create(name)) {
        assertThat(file.bypassPageCacheStaged()).isFalse();
        assertThat(StagingBuffers.available()).isEqualTo(free);
        file.write(ByteBuffer.wrap(data));
        file.commit(sha256(data), -1, WriteMode.REPLACE);
      }
    } finally {
      all.forEach(StagingBuffers.Lease::release);
    }
    assertThat(Files.readAllBytes(shared.root().resolve(name))).isEqualTo(data);
  }

  /**
   * A file system with blocks larger than 4 KiB lets a buffer through when it happens to be aligned
   * to them and refuses the next: the page cache takes over mid-file.
   */
  @Test
  void aRefusalMidFileHandsTheRestToThePageCache() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(3 * 16 * BLOCK + 999);

    try (PendingFile file = shared.create("mid.bin")) {
      assertThat(file.bypassPageCache(new FlakyWriter(temporaryFile(shared), 2, null))).isTrue();
      file.write(aligned(data, 0, 16 * BLOCK));
      file.write(aligned(data, 16 * BLOCK, 16 * BLOCK));
      file.write(aligned(data, 32 * BLOCK, 16 * BLOCK + 999));
      file.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.readAllBytes(shared.root().resolve("mid.bin"))).isEqualTo(data);
  }

  @Test
  void aStagedRefusalMidWriteHandsTheRestToThePageCache() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(3 * StagingBuffers.BUFFER_BYTES + 12_345);
    int free = StagingBuffers.available();

    try (PendingFile file = shared.create("staged.bin")) {
      FlakyWriter writer = new FlakyWriter(temporaryFile(shared), 2, null);
      assertThat(file.bypassPageCacheStaged(writer)).isTrue();
      // One write of several buffers: the refusal comes with more of them left to go.
      int third = data.length / 3;
      file.write(
          new ByteBuffer[] {
            ByteBuffer.wrap(data, 0, third),
            ByteBuffer.wrap(data, third, third),
            ByteBuffer.wrap(data, 2 * third, data.length - 2 * third)
          });
      file.commit(sha256(data), -1, WriteMode.REPLACE);
      assertThat(writer.calls).isEqualTo(2);
    }

    assertThat(Files.readAllBytes(shared.root().resolve("staged.bin"))).isEqualTo(data);
    assertThat(StagingBuffers.available()).isEqualTo(free);
  }

  @Test
  void aFullDiskDuringADirectWriteIsReportedAndLeavesNothing() throws Exception {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    byte[] data = random(3 * StagingBuffers.BUFFER_BYTES);
    int free = StagingBuffers.available();

    try (PendingFile file = shared.create("full.bin")) {
      IOException full = new IOException("No space left on device");
      assertThat(file.bypassPageCacheStaged(new FlakyWriter(temporaryFile(shared), 2, full)))
          .isTrue();
      assertThatThrownBy(() -> file.write(ByteBuffer.wrap(data)))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE));
    }

    assertThat(StagingBuffers.available()).isEqualTo(free);
    try (Stream<Path> left = Files.list(shared.root())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void refusalsAreToldFromDiskErrors() {
    assertThat(DirectWriter.isRefusal(new IOException("Invalid argument"))).isTrue();
    assertThat(
            DirectWriter.isRefusal(
                new IOException(
                    "Number of remaining bytes (4096) is not a multiple of the block size (65536)")))
        .isTrue();
    assertThat(DirectWriter.isRefusal(new IOException("No space left on device"))).isFalse();
    assertThat(DirectWriter.isRefusal(new IOException("Input/output error"))).isFalse();
  }

  /**
   * Writes through a plain handle, and fails its n-th write(2) with {@code failure}: by default the
   * JDK's refusal of a block size the file system does not have.
   */
  private static final class FlakyWriter extends DirectWriter {
    private final int failAt;
    private final IOException failure;
    int calls;

    FlakyWriter(Path file, int failAt, IOException failure) throws IOException {
      super(FileChannel.open(file, StandardOpenOption.WRITE));
      this.failAt = failAt;
      this.failure =
          failure != null
              ? failure
              : new IOException(
                  "Current location of the bytebuffer (0) is not a multiple of the block size"
                      + " (65536)");
    }

    @Override
    int writeAt(ByteBuffer src, long position) throws IOException {
      if (++calls == failAt) {
        throw failure;
      }
      return super.writeAt(src, position);
    }
  }

  /** The one temporary file a new upload has made in {@code shared}. */
  private static Path temporaryFile(SharedDirectory shared) throws IOException {
    try (Stream<Path> entries = Files.list(shared.root())) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith(".fileshare-tmp-"))
          .findFirst()
          .orElseThrow();
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
    return PendingFile.alignedBuffer(length).put(data, offset, length).flip();
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
