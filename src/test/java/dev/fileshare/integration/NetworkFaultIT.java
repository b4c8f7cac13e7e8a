package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fileshare.cli.MainAccess;
import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.integration.FaultyProxy.Direction;
import dev.fileshare.integration.FaultyProxy.Fault;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network fails mid-transfer (a proxy cuts or stalls the connection): the client reports it
 * clearly, nothing partial remains on either side, and the server serves the next client.
 */
class NetworkFaultIT {
  private static final int SIZE = 8 << 20;

  @TempDir Path serverDir;
  @TempDir Path clientDir;
  @TempDir Path sources;
  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(serverDir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aDownloadCutMidFileFailsAndLeavesNothing() throws Exception {
    TestFiles.random(serverDir, "movie.bin", SIZE, 1);
    try (FaultyProxy proxy =
            new FaultyProxy(server.port(), Direction.TO_CLIENT, SIZE / 2, Fault.CUT);
        FileshareClient client = FileshareClient.connect("127.0.0.1", proxy.port())) {
      assertThatThrownBy(
              () ->
                  client.get(
                      "movie.bin",
                      SharedDirectory.open(clientDir, false),
                      WriteMode.NO_CLOBBER,
                      TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_LOST));
    }
    assertThat(TestFiles.entries(clientDir)).isEmpty();
    assertServes();
  }

  @Test
  void anUploadCutMidFileFailsAndTheServerDiscardsIt() throws Exception {
    Path source = TestFiles.random(sources, "upload.bin", SIZE, 2);
    try (FaultyProxy proxy =
            new FaultyProxy(server.port(), Direction.TO_SERVER, SIZE / 2, Fault.CUT);
        FileshareClient client = FileshareClient.connect("127.0.0.1", proxy.port())) {
      assertThatThrownBy(() -> client.put(source, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_LOST));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(TestFiles.entries(serverDir)).isEmpty());
    assertServes();
  }

  @Test
  void aStalledDownloadTimesOutAndLeavesNothing() throws Exception {
    TestFiles.random(serverDir, "stuck.bin", SIZE, 3);
    try (FaultyProxy proxy =
            new FaultyProxy(server.port(), Direction.TO_CLIENT, SIZE / 2, Fault.STALL);
        FileshareClient client =
            FileshareClient.connect(
                "127.0.0.1", proxy.port(), Duration.ofSeconds(5), Duration.ofMillis(500))) {
      assertThatThrownBy(
              () ->
                  client.get(
                      "stuck.bin",
                      SharedDirectory.open(clientDir, false),
                      WriteMode.NO_CLOBBER,
                      TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }
    assertThat(TestFiles.entries(clientDir)).isEmpty();
    assertServes();
  }

  @Test
  void theOneShotCommandSaysSoInOneLineAndExitsOne() throws Exception {
    TestFiles.random(serverDir, "movie.bin", SIZE, 4);
    try (FaultyProxy proxy =
        new FaultyProxy(server.port(), Direction.TO_CLIENT, SIZE / 2, Fault.CUT)) {
      MainAccess.Run get =
          MainAccess.run(
              "get",
              "--plain",
              "127.0.0.1:" + proxy.port(),
              "movie.bin",
              "--dir",
              clientDir.toString());
      assertThat(get.status()).isEqualTo(1);
      assertThat(get.err().lines())
          .singleElement()
          .asString()
          .startsWith("fileshare: connection to 127.0.0.1:" + proxy.port());
    }
    assertThat(TestFiles.entries(clientDir)).isEmpty();
  }

  private void assertServes() {
    try (FileshareClient client = server.connect()) {
      assertThat(client.list()).isNotNull();
    }
  }
}
