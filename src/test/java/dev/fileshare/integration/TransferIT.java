package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.client.TransferResult;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips through a real server and the real client, each checked byte for byte. */
class TransferIT {
  @TempDir Path serverDir;
  @TempDir Path clientDir;
  @TempDir Path sourceDir;

  TestServer server;
  FileshareClient client;
  SharedDirectory local;

  @BeforeEach
  void start() {
    server = TestServer.start(serverDir);
    client = server.connect();
    local = SharedDirectory.open(clientDir, false);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65_535, 65_536, 1 << 20, 8 * 1024 * 1024 + 17})
  void aFileOfAnySizeRoundTripsIntact(int size) throws IOException {
    Path source = TestFiles.random(sourceDir, "data-" + size + ".bin", size, size);
    roundTrip(source);
  }

  @ParameterizedTest
  @ValueSource(strings = {"with space.txt", "日本語のファイル.txt", "émoji 🎉 ünïcödé.bin", ".hidden"})
  void namesWithSpacesAndNonAsciiRoundTrip(String name) throws IOException {
    roundTrip(TestFiles.random(sourceDir, name, 4096, name.hashCode()));
    assertThat(client.list()).extracting(FileInfo::name).contains(name);
  }

  @Test
  void listingGivesNameSizeAndModificationTime() throws IOException {
    Path a = TestFiles.random(serverDir, "a.bin", 1234, 1);
    Files.setLastModifiedTime(a, FileTime.fromMillis(1_600_000_000_000L));
    TestFiles.random(serverDir, "b.bin", 0, 2);
    Files.createDirectory(serverDir.resolve("a directory"));

    List<FileInfo> files = client.list();

    assertThat(files).extracting(FileInfo::name).containsExactly("a.bin", "b.bin");
    assertThat(files.get(0).size()).isEqualTo(1234);
    assertThat(files.get(0).modifiedMillis()).isEqualTo(1_600_000_000_000L);
  }

  @Test
  void uploadKeepsTheModificationTime() throws IOException {
    Path source = TestFiles.random(sourceDir, "old.txt", 10, 3);
    Files.setLastModifiedTime(source, FileTime.fromMillis(1_500_000_000_000L));
    put(source);
    assertThat(Files.getLastModifiedTime(serverDir.resolve("old.txt")).toMillis())
        .isEqualTo(1_500_000_000_000L);
  }

  @Test
  void aMissingFileIsAnErrorAndTheConnectionStaysUsable() throws IOException {
    assertThatThrownBy(
            () ->
                client.get("nothing-here.txt", local, WriteMode.NO_CLOBBER, TransferListener.NONE))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
        .hasMessageContaining("nothing-here.txt");
    assertThat(TestFiles.entries(clientDir)).isEmpty();
    roundTrip(TestFiles.random(sourceDir, "after.bin", 100, 4));
  }

  @Test
  void getNeverReplacesALocalFileUnlessForced() throws IOException {
    TestFiles.random(serverDir, "same.txt", 50, 5);
    Files.writeString(clientDir.resolve("same.txt"), "mine");

    assertThatThrownBy(
            () -> client.get("same.txt", local, WriteMode.NO_CLOBBER, TransferListener.NONE))
        .isInstanceOfSatisfying(
            FileshareException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    assertThat(Files.readString(clientDir.resolve("same.txt"))).isEqualTo("mine");

    client.get("same.txt", local, WriteMode.REPLACE, TransferListener.NONE);
    assertThat(TestFiles.sha256(clientDir.resolve("same.txt")))
        .isEqualTo(TestFiles.sha256(serverDir.resolve("same.txt")));
    assertThat(TestFiles.entries(clientDir)).containsExactly("same.txt");
  }

  @Test
  void aLocalRefusalLeavesTheConnectionInStep() throws IOException {
    TestFiles.random(serverDir, "taken", 1000, 6);
    Files.createDirectory(clientDir.resolve("taken"));
    assertThatThrownBy(() -> client.get("taken", local, WriteMode.REPLACE, TransferListener.NONE))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_A_FILE));
    assertThat(client.list()).extracting(FileInfo::name).containsExactly("taken");
  }

  @Test
  void putReplacesTheServersFile() throws IOException {
    Files.writeString(serverDir.resolve("notes.txt"), "old version");
    Path source = Files.writeString(sourceDir.resolve("notes.txt"), "new version");
    put(source);
    assertThat(Files.readString(serverDir.resolve("notes.txt"))).isEqualTo("new version");
    assertThat(TestFiles.entries(serverDir)).containsExactly("notes.txt");
  }

  @Test
  void aHostileNameIsRefusedLocallyBeforeAnythingIsSent() {
    for (String name : List.of("../escape", "/etc/passwd", "a/b", "..", "bad\u0000name")) {
      assertThatThrownBy(() -> client.get(name, local, WriteMode.NO_CLOBBER, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAME));
    }
    assertThat(client.list()).isEmpty();
  }

  @Test
  void manyCommandsShareOneConnection() throws IOException {
    for (int i = 0; i < 50; i++) {
      put(TestFiles.random(sourceDir, "f" + i, i * 100, i));
    }
    assertThat(client.list()).hasSize(50);
    for (int i = 0; i < 50; i++) {
      client.get("f" + i, local, WriteMode.NO_CLOBBER, TransferListener.NONE);
    }
    assertThat(TestFiles.entries(clientDir)).hasSize(50);
  }

  @Test
  void aFileChangedInPlaceIsServedWithItsNewDigest() throws Exception {
    Path shared = Files.writeString(serverDir.resolve("doc.txt"), "first");
    FileTime time = FileTime.fromMillis(1_600_000_000_000L);
    Files.setLastModifiedTime(shared, time);
    Thread.sleep(200); // old enough for the server to remember its digest
    client.get("doc.txt", local, WriteMode.REPLACE, TransferListener.NONE);
    client.get("doc.txt", local, WriteMode.REPLACE, TransferListener.NONE); // from memory

    // Same size, same modification time: only the inode's change time moves.
    Files.writeString(shared, "other");
    Files.setLastModifiedTime(shared, time);
    TransferResult changed = client.get("doc.txt", local, WriteMode.REPLACE, TransferListener.NONE);

    assertThat(Files.readString(clientDir.resolve("doc.txt"))).isEqualTo("other");
    assertThat(changed.digestHex()).isEqualTo(TestFiles.digest(shared, changed.digestAlgorithm()));
  }

  private void roundTrip(Path source) {
    String name = source.getFileName().toString();
    TransferResult up = put(source);
    assertThat(TestFiles.sha256(serverDir.resolve(name))).isEqualTo(TestFiles.sha256(source));
    assertThat(up.digestHex()).isEqualTo(TestFiles.digest(source, up.digestAlgorithm()));

    TransferResult down = client.get(name, local, WriteMode.NO_CLOBBER, TransferListener.NONE);
    assertThat(TestFiles.sha256(clientDir.resolve(name))).isEqualTo(TestFiles.sha256(source));
    assertThat(down.size()).isEqualTo(up.size());
    assertThat(TestFiles.entries(serverDir)).noneMatch(n -> n.startsWith(".fileshare-"));
    assertThat(TestFiles.entries(clientDir)).noneMatch(n -> n.startsWith(".fileshare-"));
  }

  private TransferResult put(Path source) {
    return client.put(source, TransferListener.NONE);
  }
}
