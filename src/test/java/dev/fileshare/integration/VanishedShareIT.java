package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared directory removed under a running server: every command gets a clear error, the
 * connection and the server live on, and once the directory is back, so is the service.
 */
class VanishedShareIT {
  @TempDir Path work;

  @Test
  void aRemovedShareGivesClearErrorsUntilItIsBack() throws Exception {
    Path share = Files.createDirectory(work.resolve("share"));
    Files.writeString(share.resolve("a.txt"), "a");
    Path upload = Files.writeString(work.resolve("up.txt"), "up");
    SharedDirectory local =
        SharedDirectory.open(Files.createDirectory(work.resolve("local")), false);
    try (TestServer server = TestServer.start(share);
        FileshareClient client = server.connect()) {
      deleteTree(share);

      assertThatThrownBy(client::list)
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR))
          .hasMessage("I/O error while listing the shared directory: no such file or directory");
      assertThatThrownBy(
              () -> client.get("a.txt", local, WriteMode.NO_CLOBBER, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
      assertThatThrownBy(() -> client.put(upload, TransferListener.NONE))
          .isInstanceOf(FileshareException.class)
          .hasMessageContaining("up.txt");
      assertThat(client.isConnected()).isTrue();

      Files.createDirectory(share);
      client.put(upload, TransferListener.NONE);
      assertThat(client.list()).extracting(FileInfo::name).containsExactly("up.txt");
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
