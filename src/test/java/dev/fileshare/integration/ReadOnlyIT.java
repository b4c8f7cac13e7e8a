package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerConfig;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read-only share serves list and get, and refuses every upload without losing its step. */
class ReadOnlyIT {
  @TempDir Path serverDir;
  @TempDir Path clientDir;

  @Test
  void uploadsAreRefusedAndEverythingElseWorks() throws Exception {
    Files.writeString(serverDir.resolve("manual.txt"), "read me");
    Path upload = TestFiles.random(clientDir, "big upload.bin", 3 << 20, 1);
    ServerConfig config = TestServer.config(serverDir, "ro").readOnly(true);
    try (FileshareServer server = FileshareServer.start(config);
        FileshareClient client = FileshareClient.connect("127.0.0.1", server.port())) {
      assertThatThrownBy(() -> client.put(upload, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
          .hasMessage("cannot put big upload.bin: this share is read-only");

      assertThat(client.isConnected()).isTrue();
      assertThat(client.list()).extracting(FileInfo::name).containsExactly("manual.txt");
      Path into = Files.createDirectory(clientDir.resolve("into"));
      client.get(
          "manual.txt",
          SharedDirectory.open(into, false),
          WriteMode.NO_CLOBBER,
          TransferListener.NONE);
      assertThat(into.resolve("manual.txt")).hasContent("read me");
    }
    assertThat(TestFiles.entries(serverDir)).containsExactly("manual.txt");
  }
}
