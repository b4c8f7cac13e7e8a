package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.client.TransferResult;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizes past 2^32 bytes travel in 64-bit length fields: the end of a file is never guessed. */
class LargeFileIT {
  private static final long SIZE = (1L << 32) + 123_457;

  @TempDir Path serverDir;
  @TempDir Path clientDir;
  @TempDir Path sourceDir;

  @Test
  void aFileLargerThanFourGibibytesRoundTripsIntact() {
    Path source = uncheckedSparse(sourceDir, "huge.img");
    String expected = TestFiles.sha256(source);
    try (TestServer server = TestServer.start(serverDir);
        FileshareClient client = server.connect()) {
      TransferResult up = client.put(source, TransferListener.NONE);
      assertThat(up.size()).isEqualTo(SIZE);
      assertThat(TestFiles.sha256(serverDir.resolve("huge.img"))).isEqualTo(expected);

      TransferResult down =
          client.get(
              "huge.img",
              SharedDirectory.open(clientDir, false),
              WriteMode.NO_CLOBBER,
              TransferListener.NONE);
      assertThat(down.size()).isEqualTo(SIZE);
      assertThat(down.digestHex()).isEqualTo(up.digestHex());
      assertThat(TestFiles.sha256(clientDir.resolve("huge.img"))).isEqualTo(expected);
    }
  }

  private static Path uncheckedSparse(Path dir, String name) {
    try {
      return TestFiles.sparse(dir, name, SIZE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
