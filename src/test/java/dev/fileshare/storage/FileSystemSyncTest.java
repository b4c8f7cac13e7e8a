package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fileshare.common.DigestAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** syncfs through one descriptor per file system, on kernels that report errors through it. */
class FileSystemSyncTest {
  @TempDir Path tmp;

  @Test
  void onlyKernelsFrom58ReportWriteBackErrorsThroughSyncfs() {
    assertThat(FileSystemSync.reportsWriteBackErrors("6.18.44-fc-v669")).isTrue();
    assertThat(FileSystemSync.reportsWriteBackErrors("5.8.0-63-generic")).isTrue();
    assertThat(FileSystemSync.reportsWriteBackErrors("5.15.0")).isTrue();
    assertThat(FileSystemSync.reportsWriteBackErrors("5.7.19")).isFalse();
    assertThat(FileSystemSync.reportsWriteBackErrors("4.19.0-27-amd64")).isFalse();
    assertThat(FileSystemSync.reportsWriteBackErrors("")).isFalse();
    assertThat(FileSystemSync.reportsWriteBackErrors("unknown")).isFalse();
  }

  /**
   * One descriptor per file system, however many directories and files, and none once every file is
   * done: a file system must stay free to be unmounted when nothing is being received.
   */
  @Test
  void oneDescriptorPerFileSystemWhileFilesAreWrittenAndNoneAfter() throws IOException {
    assumeTrue(FileSystemSync.available(), "no syncfs that reports errors here");
    int watchedBefore = FileSystemSync.watched();
    long before = openDescriptors();
    List<FileSystemSync.Watched> holds = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Path directory = Files.createDirectory(tmp.resolve("d" + i));
      holds.add(FileSystemSync.acquire(directory));
      assertThat(FileSystemSync.sync(directory)).isEqualTo(FileSystemSync.Outcome.SYNCED);
    }
    assertThat(openDescriptors()).isLessThanOrEqualTo(before + 1);
    holds.forEach(FileSystemSync::release);
    assertThat(FileSystemSync.watched()).isEqualTo(watchedBefore);
  }

  /** A received file holds its file system's descriptor from creation to commit or abort. */
  @Test
  void aFileHoldsTheDescriptorUntilItIsDone() {
    assumeTrue(FileSystemSync.available(), "no syncfs that reports errors here");
    SharedDirectory shared = SharedDirectory.open(tmp.resolve("shared"));
    int watchedBefore = FileSystemSync.watched();
    PendingFile committed = shared.create("kept");
    PendingFile aborted = shared.create("dropped");
    assertThat(FileSystemSync.watched()).isPositive();
    committed.commit(DigestAlgorithm.SHA_256.newHasher().finish(), -1, WriteMode.REPLACE);
    aborted.abort();
    assertThat(FileSystemSync.watched()).isEqualTo(watchedBefore);
  }

  @Test
  void aDirectoryThatCannotBeOpenedIsLeftToFileByFileFlushes() {
    assertThat(FileSystemSync.sync(tmp.resolve("missing")))
        .isEqualTo(FileSystemSync.Outcome.UNAVAILABLE);
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
