package dev.fileshare.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingFileTest {
  @TempDir Path tmp;
  private SharedDirectory shared;
  private Path root;

  @BeforeEach
  void openShared() {
    shared = SharedDirectory.open(tmp.resolve("shared"));
    root = shared.root();
  }

  @Test
  void roundTripPublishesTheFileUnderItsName() throws IOException {
    byte[] data = "hello, world".getBytes(UTF_8);

    Path published;
    try (PendingFile pending = shared.create("greeting.txt")) {
      assertThat(pending.name()).isEqualTo("greeting.txt");
      assertThat(entries()).singleElement().asString().startsWith(".fileshare-tmp-");
      assertThat(shared.list()).isEmpty(); // invisible while being received
      pending.write(ByteBuffer.wrap(data));
      assertThat(pending.bytesWritten()).isEqualTo(data.length);
      published = pending.commit(sha256(data), -1, WriteMode.NO_CLOBBER);
      assertThat(pending.digest()).isEqualTo(sha256(data));
    }

    assertThat(published).isEqualTo(root.resolve("greeting.txt"));
    assertThat(Files.readAllBytes(published)).isEqualTo(data);
    assertThat(entries()).containsExactly("greeting.txt");
    try (ReadableFile read = shared.openForRead("greeting.txt")) {
      assertThat(read.size()).isEqualTo(data.length);
    }
  }

  @Test
  void digestMismatchDiscardsTheDataAndLeavesTheTargetUntouched() throws IOException {
    Files.writeString(root.resolve("report.pdf"), "original");

    try (PendingFile pending = shared.create("report.pdf")) {
      pending.write(ByteBuffer.wrap("corrupt".getBytes(UTF_8)));
      assertThatThrownBy(
              () -> pending.commit(sha256("expected".getBytes(UTF_8)), -1, WriteMode.REPLACE))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH))
          .hasMessage("digest mismatch for report.pdf: received data is corrupt; discarded");
    }

    assertThat(Files.readString(root.resolve("report.pdf"))).isEqualTo("original");
    assertThat(entries()).containsExactly("report.pdf");
  }

  @Test
  void digestMismatchOfANewFileLeavesNothing() throws IOException {
    try (PendingFile pending = shared.create("new.bin")) {
      pending.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      assertThatThrownBy(() -> pending.commit(new byte[32], -1, WriteMode.NO_CLOBBER))
          .isInstanceOf(FileshareException.class);
    }

    assertThat(entries()).isEmpty();
  }

  @Test
  void abortLeavesNothingAndMayBeRepeated() throws IOException {
    PendingFile pending = shared.create("partial.bin");
    pending.write(ByteBuffer.wrap(new byte[1000]));

    pending.abort();
    pending.abort();
    pending.close();

    assertThat(entries()).isEmpty();
    // A discarded file may be aborted from another thread while its writer still runs: the
    // writer then gets a plain storage error, not a programming error.
    assertThatThrownBy(() -> pending.write(ByteBuffer.allocate(1)))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR))
        .hasMessageContaining("discarded");
  }

  @Test
  void discardUnfinishedRemovesEveryOpenReceptionButNotCommittedOnes() throws Exception {
    PendingFile a = shared.create("a.bin");
    PendingFile b = shared.create("b.bin");
    PendingFile done = shared.create("done.bin");
    a.write(ByteBuffer.wrap(new byte[10]));
    done.commit(sha256(new byte[0]), -1, WriteMode.REPLACE);

    assertThat(shared.discardUnfinished()).isEqualTo(2);

    assertThat(entries()).containsExactly("done.bin");
    assertThat(shared.discardUnfinished()).isZero();
  }

  @Test
  void closeWithoutCommitDiscards() throws IOException {
    try (PendingFile pending = shared.create("partial.bin")) {
      pending.write(ByteBuffer.wrap(new byte[10]));
    }

    assertThat(entries()).isEmpty();
  }

  @Test
  void replaceOverwritesAnExistingFile() throws IOException {
    Files.writeString(root.resolve("notes.txt"), "old contents, longer than the new");

    commit("notes.txt", "new", WriteMode.REPLACE);

    assertThat(Files.readString(root.resolve("notes.txt"))).isEqualTo("new");
    assertThat(entries()).containsExactly("notes.txt");
  }

  @Test
  void noClobberRefusesAnExistingFileAndKeepsIt() throws IOException {
    Files.writeString(root.resolve("notes.txt"), "precious");

    assertThatThrownBy(() -> commit("notes.txt", "intruder", WriteMode.NO_CLOBBER))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
        .hasMessage("notes.txt already exists (use --force to overwrite)");

    assertThat(Files.readString(root.resolve("notes.txt"))).isEqualTo("precious");
    assertThat(entries()).containsExactly("notes.txt");
  }

  @Test
  void setsTheModificationTime() throws IOException {
    long mtime = 1_234_567_890_000L;
    try (PendingFile pending = shared.create("dated.txt")) {
      byte[] data = "x".getBytes(UTF_8);
      pending.write(ByteBuffer.wrap(data));
      pending.commit(sha256(data), mtime, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.getLastModifiedTime(root.resolve("dated.txt")).toMillis()).isEqualTo(mtime);
    assertThat(shared.list().get(0).modifiedMillis()).isEqualTo(mtime);
  }

  @Test
  void twoWritersOfOneNameLeaveExactlyOneWholeFile() throws IOException {
    byte[] first = "first writer's data".getBytes(UTF_8);
    byte[] second = "second, longer writer's data".getBytes(UTF_8);

    try (PendingFile a = shared.create("shared.bin");
        PendingFile b = shared.create("shared.bin")) {
      a.write(ByteBuffer.wrap(first));
      b.write(ByteBuffer.wrap(second));
      a.commit(sha256(first), -1, WriteMode.REPLACE);
      b.commit(sha256(second), -1, WriteMode.REPLACE);
    }

    assertThat(Files.readAllBytes(root.resolve("shared.bin"))).isIn(first, second);
    assertThat(entries()).containsExactly("shared.bin");
  }

  @Test
  void secondNoClobberWriterOfOneNameIsRefused() throws IOException {
    byte[] first = "first".getBytes(UTF_8);
    byte[] second = "second".getBytes(UTF_8);

    try (PendingFile a = shared.create("one.bin");
        PendingFile b = shared.create("one.bin")) {
      a.write(ByteBuffer.wrap(first));
      b.write(ByteBuffer.wrap(second));
      a.commit(sha256(first), -1, WriteMode.NO_CLOBBER);
      assertThatThrownBy(() -> b.commit(sha256(second), -1, WriteMode.NO_CLOBBER))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    assertThat(Files.readAllBytes(root.resolve("one.bin"))).isEqualTo(first);
    assertThat(entries()).containsExactly("one.bin");
  }

  @Test
  void gatheringWriteHashesExactlyTheBytesWritten() throws IOException {
    byte[] all = new byte[70_000];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) (i * 31 + 7);
    }
    // Heap and direct buffers, some with offsets and limits that must be respected, one empty.
    ByteBuffer heapSlice = ByteBuffer.wrap(withPadding(all, 0, 10_000), 3, 10_000);
    ByteBuffer direct1 = direct(all, 10_000, 25_000);
    ByteBuffer empty = ByteBuffer.allocateDirect(16).limit(0);
    ByteBuffer heap = ByteBuffer.wrap(all, 35_000, 5_000).slice();
    ByteBuffer direct2 = direct(all, 40_000, 30_000);
    ByteBuffer[] buffers = {heapSlice, direct1, empty, heap, direct2};

    try (PendingFile pending = shared.create("mixed.bin")) {
      pending.write(buffers);
      assertThat(pending.bytesWritten()).isEqualTo(all.length);
      assertThat(Stream.of(buffers).mapToInt(ByteBuffer::remaining).sum()).isZero();
      pending.commit(sha256(all), -1, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.readAllBytes(root.resolve("mixed.bin"))).isEqualTo(all);
  }

  @Test
  void singleWritesAdvanceTheBufferAndAppend() throws IOException {
    ByteBuffer direct = direct("abc".getBytes(UTF_8), 0, 3);
    ByteBuffer heap = ByteBuffer.wrap("defgh".getBytes(UTF_8));
    heap.position(1).limit(4); // only "efg"

    try (PendingFile pending = shared.create("parts.txt")) {
      pending.write(direct);
      pending.write(heap);
      assertThat(direct.hasRemaining()).isFalse();
      assertThat(heap.position()).isEqualTo(4);
      assertThat(pending.bytesWritten()).isEqualTo(6);
      pending.commit(sha256("abcefg".getBytes(UTF_8)), -1, WriteMode.NO_CLOBBER);
    }

    assertThat(Files.readString(root.resolve("parts.txt"))).isEqualTo("abcefg");
  }

  @Test
  void emptyFile() throws IOException {
    try (PendingFile pending = shared.create("empty")) {
      pending.commit(sha256(new byte[0]), -1, WriteMode.NO_CLOBBER);
      assertThat(pending.bytesWritten()).isZero();
    }

    assertThat(root.resolve("empty")).isRegularFile().isEmptyFile();
    assertThat(entries()).containsExactly("empty");
  }

  @Test
  void digestIsUnknownBeforeCommit() {
    try (PendingFile pending = shared.create("x")) {
      assertThatThrownBy(pending::digest).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void leftoverOfACrashedTransferIsRemovedAtTheNextOpen() throws IOException {
    PendingFile crashed = shared.create("big.iso");
    crashed.write(ByteBuffer.wrap(new byte[100]));
    // No commit and no abort: as if the process had died here.

    SharedDirectory reopened = SharedDirectory.open(root);

    assertThat(reopened.leftoversRemoved()).isEqualTo(1);
    assertThat(entries()).isEmpty();
    crashed.abort();
  }

  private void commit(String name, String content, WriteMode mode) {
    byte[] data = content.getBytes(UTF_8);
    try (PendingFile pending = shared.create(name)) {
      pending.write(ByteBuffer.wrap(data));
      pending.commit(sha256(data), -1, mode);
    }
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> list = Files.list(root)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] withPadding(byte[] data, int from, int length) {
    byte[] padded = new byte[length + 6];
    System.arraycopy(data, from, padded, 3, length);
    return padded;
  }

  private static ByteBuffer direct(byte[] data, int from, int length) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(length + 8);
    buffer.position(4);
    buffer.put(data, from, length);
    return buffer.flip().position(4);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
