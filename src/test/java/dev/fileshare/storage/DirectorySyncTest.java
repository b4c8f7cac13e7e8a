package dev.fileshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory syncs: what counts as "this file system cannot" and what is a real failure. */
class DirectorySyncTest {
  @TempDir Path dir;

  @Test
  void unsupportedIsToleratedAndAnIoErrorIsNot() {
    assertThat(StorageErrors.isUnsupported(new FileSystemException("d", null, "Invalid argument")))
        .isTrue();
    assertThat(StorageErrors.isUnsupported(new IOException("Operation not supported"))).isTrue();
    assertThat(StorageErrors.isUnsupported(new IOException("Function not implemented"))).isTrue();
    assertThat(StorageErrors.isUnsupported(new IOException("Input/output error"))).isFalse();
    assertThat(
            StorageErrors.map(new IOException("Input/output error"), "syncing", "the directory")
                .getMessage())
        .isEqualTo("I/O error while syncing the directory: Input/output error");
  }

  @Test
  void aRealDirectorySyncs() {
    PendingFile.syncDirectory(dir);
  }

  /**
   * A directory that cannot be opened (out of descriptors, not readable) cannot be synced: the
   * rename in it is not known to be durable, and must be reported, not acknowledged.
   */
  @Test
  void aDirectoryThatCannotBeOpenedIsAFailure() {
    assertThatThrownBy(() -> PendingFile.syncDirectory(dir.resolve("missing")))
        .isInstanceOf(FileshareException.class)
        .hasMessageContaining("syncing the directory");
  }

  @Test
  void aFileInPlaceButNotDurableSaysSo() {
    FileshareException sync =
        StorageErrors.map(new IOException("Input/output error"), "syncing", "the directory");
    assertThat(PendingFile.notDurable("report.pdf", sync).getMessage())
        .isEqualTo(
            "report.pdf is in place but may not survive a crash: I/O error while syncing the"
                + " directory: Input/output error");
  }
}
