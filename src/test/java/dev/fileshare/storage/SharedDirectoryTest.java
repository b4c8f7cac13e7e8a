package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedDirectoryTest {
  @TempDir Path tmp;

  @Test
  void createsMissingDirectoryAndParents() {
    Path root = tmp.resolve("a/b/shared");

    SharedDirectory shared = SharedDirectory.open(root);

    assertThat(root).isDirectory();
    assertThat(shared.root()).isEqualTo(root.toAbsolutePath().normalize());
    assertThat(shared.list()).isEmpty();
    assertThat(shared.leftoversRemoved()).isZero();
  }

  @Test
  void refusesAFileAsDirectory() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain"), "x");

    assertCode(() -> SharedDirectory.open(file), ErrorCode.STORAGE_ERROR)
        .hasMessageContaining("not a directory")
        .hasMessageContaining(file.toString());
  }

  @Test
  void resolvesValidNamesInsideTheRoot() {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));

    assertThat(shared.resolve("report.pdf")).isEqualTo(shared.root().resolve("report.pdf"));
    assertCode(() -> shared.resolve("../escape"), ErrorCode.INVALID_NAME);
  }

  @Test
  void refusesLinksLeadingOutside() throws IOException {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.createSymbolicLink(shared.root().resolve("secret"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(shared.root().resolve("out-dir"), outside);
    Files.createSymbolicLink(shared.root().resolve("passwd"), Path.of("/etc/passwd"));

    for (String name : new String[] {"secret", "out-dir", "passwd"}) {
      assertCode(() -> shared.resolve(name), ErrorCode.INVALID_NAME)
          .hasMessage("invalid file name \"" + name + "\": it leads outside the shared directory");
      assertCode(() -> shared.openForRead(name), ErrorCode.INVALID_NAME);
      assertCode(() -> shared.create(name), ErrorCode.INVALID_NAME);
    }
  }

  @Test
  void followsLinksThatStayInside() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.writeString(shared.root().resolve("real.txt"), "hello");
    Files.createSymbolicLink(shared.root().resolve("alias.txt"), Path.of("real.txt"));

    assertThat(shared.resolve("alias.txt")).isEqualTo(shared.root().resolve("alias.txt"));
    try (ReadableFile file = shared.openForRead("alias.txt")) {
      assertThat(file.name()).isEqualTo("alias.txt");
      assertThat(file.size()).isEqualTo(5);
      assertThat(readAll(file)).isEqualTo("hello");
    }
  }

  @Test
  void worksWhenTheRootItselfIsReachedThroughALink() throws IOException {
    Path real = Files.createDirectory(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    Files.writeString(real.resolve("a.txt"), "a");
    SharedDirectory shared = SharedDirectory.open(link);

    assertThat(shared.list()).extracting(FileInfo::name).containsExactly("a.txt");
    try (ReadableFile file = shared.openForRead("a.txt")) {
      assertThat(readAll(file)).isEqualTo("a");
    }
  }

  @Test
  void listShowsOnlyFetchableFilesSortedByName() throws IOException {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Files.writeString(outside.resolve("o.txt"), "outside");
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Path root = shared.root();
    Files.writeString(root.resolve("b.txt"), "bb");
    Files.writeString(root.resolve("a.txt"), "a");
    Files.writeString(root.resolve("日本語.txt"), "");
    Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.fromMillis(1_600_000_000_000L));
    Files.createSymbolicLink(root.resolve("c-link.txt"), Path.of("b.txt"));
    Files.createDirectory(root.resolve("subdir"));
    Files.writeString(root.resolve(".fileshare-tmp-0123456789abcdef"), "partial");
    Files.writeString(root.resolve(".fileshare-reserved"), "x");
    Files.createSymbolicLink(root.resolve("outside-link"), outside.resolve("o.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve("missing"));
    Files.createSymbolicLink(root.resolve("dir-link"), root.resolve("subdir"));

    assertThat(shared.list())
        .containsExactly(
            new FileInfo("a.txt", 1, 1_600_000_000_000L),
            new FileInfo("b.txt", 2, mtime(root.resolve("b.txt"))),
            new FileInfo("c-link.txt", 2, mtime(root.resolve("b.txt"))),
            new FileInfo("日本語.txt", 0, mtime(root.resolve("日本語.txt"))));
  }

  @Test
  void listOfAVanishedDirectoryIsAStorageError() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.delete(shared.root());

    assertCode(shared::list, ErrorCode.STORAGE_ERROR)
        .hasMessageContaining("listing the shared directory")
        .hasMessageNotContaining(shared.root().toString());
  }

  @Test
  void removesLeftoverTemporaryFilesAtOpen() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("shared"));
    Files.writeString(root.resolve(".fileshare-tmp-0000000000000001"), "crash 1");
    Files.writeString(root.resolve(".fileshare-tmp-0000000000000002"), "crash 2");
    Files.createDirectory(root.resolve(".fileshare-tmp-dir"));
    Files.writeString(root.resolve("keep.txt"), "keep");

    SharedDirectory shared = SharedDirectory.open(root);

    assertThat(shared.leftoversRemoved()).isEqualTo(2);
    try (var entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("keep.txt", ".fileshare-tmp-dir");
    }
  }

  @Test
  void openForReadReportsSizeAndTime() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Path file = Files.writeString(shared.root().resolve("report.pdf"), "12345");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_500_000_000_123L));

    try (ReadableFile read = shared.openForRead("report.pdf")) {
      assertThat(read.size()).isEqualTo(5);
      assertThat(read.modifiedMillis()).isEqualTo(1_500_000_000_123L);
      assertThat(readAll(read)).isEqualTo("12345");
    }
  }

  @Test
  void openForReadOfAMissingFileIsNotFound() {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));

    assertCode(() -> shared.openForRead("report.pdf"), ErrorCode.NOT_FOUND)
        .hasMessage("no such file: report.pdf");
  }

  @Test
  void openForReadOfADanglingLinkIsNotFound() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.createSymbolicLink(shared.root().resolve("dangling"), Path.of("missing"));

    assertCode(() -> shared.openForRead("dangling"), ErrorCode.NOT_FOUND);
  }

  @Test
  void openForReadOfALinkThatCannotBeFollowedIsNotFound() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Path root = shared.root();
    Files.writeString(root.resolve("file"), "x");
    Files.createSymbolicLink(root.resolve("loop1"), root.resolve("loop2"));
    Files.createSymbolicLink(root.resolve("loop2"), root.resolve("loop1"));
    Files.createSymbolicLink(root.resolve("self"), root.resolve("self"));
    Files.createSymbolicLink(root.resolve("through-file"), root.resolve("file/x"));

    for (String name : new String[] {"loop1", "self", "through-file"}) {
      assertCode(() -> shared.openForRead(name), ErrorCode.NOT_FOUND)
          .hasMessage("no such file: " + name);
    }
  }

  @Test
  void openForReadOfADirectoryIsNotAFile() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.createDirectory(shared.root().resolve("docs"));

    assertCode(() -> shared.openForRead("docs"), ErrorCode.NOT_A_FILE)
        .hasMessage("docs is a directory, not a regular file");
    assertCode(() -> shared.create("docs"), ErrorCode.NOT_A_FILE);
  }

  @Test
  void createWithoutClobberingRefusesATakenNameAtOnce() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.writeString(shared.root().resolve("taken.txt"), "mine");
    Files.createDirectory(shared.root().resolve("docs"));
    Files.createSymbolicLink(shared.root().resolve("passwd"), Path.of("/etc/passwd"));

    for (String name : new String[] {"taken.txt", "docs", "passwd"}) {
      assertCode(
              () -> shared.create(name, WriteMode.NO_CLOBBER, DigestAlgorithm.SHA_256),
              ErrorCode.ALREADY_EXISTS)
          .hasMessage(name + " already exists");
    }
    assertCode(
        () -> shared.create("../up", WriteMode.NO_CLOBBER, DigestAlgorithm.SHA_256),
        ErrorCode.INVALID_NAME);
    try (var entries = Files.list(shared.root())) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("taken.txt", "docs", "passwd");
    }

    try (PendingFile fresh =
        shared.create("new.txt", WriteMode.NO_CLOBBER, DigestAlgorithm.SHA_256)) {
      assertThat(fresh.target()).isEqualTo(shared.root().resolve("new.txt"));
    }
  }

  @Test
  void readsTheNamesPresentOnlyWhenThatCostsLessThanLookingEachUp() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    assertThat(shared.presentNames(1)).isEmpty();
    for (int i = 0; i < 2 * SharedDirectory.ENTRIES_PER_LOOKUP; i++) {
      Files.writeString(shared.root().resolve("f" + i), "x");
    }
    Files.createDirectory(shared.root().resolve("docs"));

    // Nine entries: read for three look-ups (up to twelve), not for two (up to eight).
    assertThat(shared.presentNames(3))
        .hasSize(2 * SharedDirectory.ENTRIES_PER_LOOKUP + 1)
        .contains("f0", "docs");
    assertThat(shared.presentNames(2)).isNull();
  }

  @Test
  void theNamesReadAreFoldedSoThatACaseBlindFileSystemIsStillAsked() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Files.writeString(shared.root().resolve("ReadMe.TXT"), "x");
    // "é" as e and a combining accent, which NFC composes.
    Files.writeString(shared.root().resolve("Cafe\u0301"), "x");

    Set<String> present = shared.presentNames(16);

    assertThat(present).containsExactlyInAnyOrder("readme.txt", "caf\u00e9");
    // Here (case-sensitive) README.TXT is free: looked up, found free, created.
    try (PendingFile file =
        shared.create("README.TXT", WriteMode.NO_CLOBBER, DigestAlgorithm.SHA_256, present)) {
      assertThat(file.target()).hasFileName("README.TXT");
    }
  }

  @Test
  void aNameAbsentFromTheNamesReadIsRefusedByTheCommitIfTakenSince() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Set<String> present = shared.presentNames(16);
    Path late = Files.writeString(shared.root().resolve("late.txt"), "theirs");

    byte[] data = "mine".getBytes(StandardCharsets.UTF_8);
    try (PendingFile file =
        shared.create("late.txt", WriteMode.NO_CLOBBER, DigestAlgorithm.SHA_256, present)) {
      file.write(ByteBuffer.wrap(data));
      DigestAlgorithm.Hasher hasher = DigestAlgorithm.SHA_256.newHasher();
      hasher.update(data, 0, data.length);
      byte[] digest = hasher.finish();
      assertCode(() -> file.commit(digest, -1, WriteMode.NO_CLOBBER), ErrorCode.ALREADY_EXISTS);
    }
    assertThat(late).hasContent("theirs");

    // Once read, the name is refused before anything is received, as without a listing.
    Set<String> now = shared.presentNames(16);
    assertCode(
            () -> shared.create("late.txt", WriteMode.NO_CLOBBER, DigestAlgorithm.SHA_256, now),
            ErrorCode.ALREADY_EXISTS)
        .hasMessage("late.txt already exists");
    try (var entries = Files.list(shared.root())) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("late.txt");
    }
  }

  @Test
  void openForReadRefusesInvalidNames() {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));

    assertCode(() -> shared.openForRead("../../etc/passwd"), ErrorCode.INVALID_NAME);
    assertCode(() -> shared.openForRead(".fileshare-tmp-0123456789abcdef"), ErrorCode.INVALID_NAME);
  }

  @Test
  void unreadableDirectoryIsAStorageError() throws IOException {
    Path root = Files.createDirectory(tmp.resolve("shared"));
    SharedDirectory shared = SharedDirectory.open(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("-wx------"));
    try {
      assumeThat(Files.isReadable(root)).as("permissions do not bind this user (root?)").isFalse();

      assertCode(shared::list, ErrorCode.STORAGE_ERROR)
          .hasMessage("permission denied while listing the shared directory");
      assertCode(() -> SharedDirectory.open(root), ErrorCode.STORAGE_ERROR)
          .hasMessageContaining("permission denied");
    } finally {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void unreadableFileIsAStorageError() throws IOException {
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    Path file = Files.writeString(shared.root().resolve("locked.txt"), "x");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
    assumeThat(Files.isReadable(file)).as("permissions do not bind this user (root?)").isFalse();

    assertCode(() -> shared.openForRead("locked.txt"), ErrorCode.STORAGE_ERROR)
        .hasMessage("permission denied while reading locked.txt");
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertCode(
      ThrowingCallable call, ErrorCode code) {
    return assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static String readAll(ReadableFile file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) file.size());
    while (buffer.hasRemaining() && file.channel().read(buffer) >= 0) {
      // keep reading
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  private static long mtime(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toMillis();
  }
}
