package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: a small tmpfs as the server's share or the client's destination. The
 * transfer fails with "no space left", its partial data is gone at once, and the connection and the
 * server go on (a transfer that fits works next). Needs root to mount; skipped otherwise.
 */
class DiskFullIT {
  private static final int TMPFS_MIB = 8;

  @TempDir Path work;
  private Path small;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    small = Files.createDirectory(work.resolve("small-disk"));
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_MIB + "m", "tmpfs", small.toString()),
        "disk-full test skipped: cannot mount a tmpfs (needs root)");
  }

  @AfterEach
  void unmount() throws Exception {
    if (small != null) {
      run("umount", small.toString());
    }
  }

  @Test
  void anUploadThatDoesNotFitFailsCleanlyAndTheNextOneWorks() throws Exception {
    Path tooBig = TestFiles.random(work, "too big.bin", (TMPFS_MIB + 4) << 20, 1);
    Path fits = TestFiles.random(work, "fits.bin", 1 << 20, 2);
    try (TestServer server = TestServer.start(small);
        FileshareClient client = server.connect()) {
      assertThatThrownBy(() -> client.put(tooBig, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE))
          .hasMessageContaining("no space left on device");
      assertThat(TestFiles.entries(small)).isEmpty(); // the partial data went at once

      client.put(fits, TransferListener.NONE);
      assertThat(TestFiles.sha256(small.resolve("fits.bin"))).isEqualTo(TestFiles.sha256(fits));
    }
  }

  @Test
  void aDownloadThatDoesNotFitFailsCleanlyAndTheConnectionGoesOn() throws Exception {
    Path serverDir = Files.createDirectory(work.resolve("share"));
    TestFiles.random(serverDir, "too big.bin", (TMPFS_MIB + 4) << 20, 3);
    TestFiles.random(serverDir, "fits.bin", 1 << 20, 4);
    SharedDirectory local = SharedDirectory.open(small, false);
    try (TestServer server = TestServer.start(serverDir);
        FileshareClient client = server.connect()) {
      assertThatThrownBy(
              () -> client.get("too big.bin", local, WriteMode.NO_CLOBBER, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE))
          .hasMessageContaining("no space left on device");
      assertThat(TestFiles.entries(small)).isEmpty();
      assertThat(client.isConnected()).isTrue();

      client.get("fits.bin", local, WriteMode.NO_CLOBBER, TransferListener.NONE);
      assertThat(TestFiles.sha256(small.resolve("fits.bin")))
          .isEqualTo(TestFiles.sha256(serverDir.resolve("fits.bin")));
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
