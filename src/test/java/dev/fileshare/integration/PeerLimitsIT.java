package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that stall, idle or crowd the server are cut off with a clear error, and only they: a slow
 * but moving upload goes through, and the server keeps serving others.
 */
class PeerLimitsIT {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path serverDir;
  @TempDir Path sources;
  FileshareServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int start(int maxConnections, int maxPerAddress) {
    return start(new ServerLimits(REQUEST_TIMEOUT, IDLE_TIMEOUT, maxConnections, maxPerAddress));
  }

  private int start(ServerLimits limits) {
    server = FileshareServer.start(TestServer.config(serverDir, "limits test").withLimits(limits));
    return server.port();
  }

  @Test
  void halfAHelloIsCutOffAfterTheRequestTimeout() throws Exception {
    int port = start(100, 100);
    try (RawConnection slowloris = new RawConnection(port)) {
      byte[] hello = RawConnection.frame(new Message.Hello(ProtocolLimits.VERSION, "slow"));
      slowloris.writeRaw(Arrays.copyOf(hello, 5));

      assertTimedOut(slowloris, "no part of the request");
    }
    assertServes(port);
  }

  @Test
  void aConnectionThatNeverSpeaksIsCutOff() throws Exception {
    int port = start(100, 100);
    try (RawConnection silent = new RawConnection(port)) {
      assertTimedOut(silent, "no part of the request");
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeoutOnly() throws Exception {
    int port = start(100, 100);
    try (RawConnection idle = RawConnection.welcomed(port)) {
      long start = System.nanoTime();
      assertTimedOut(idle, "idle for 3 s");
      // Not at the first quiet request timeout: idleness has its own, longer limit.
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThan(REQUEST_TIMEOUT.multipliedBy(2));
    }
  }

  @Test
  void aStalledUploadIsCutOffAndLeavesNothing() throws Exception {
    int port = start(100, 100);
    try (RawConnection stalled = RawConnection.welcomed(port)) {
      stalled.send(new Message.PutRequest("stalled.bin", 100, -1));
      stalled.writeRaw(new byte[10]);

      assertTimedOut(stalled, "no part of the request");
    }
    // The server discards the upload as the connection closes, on its storage thread.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(TestFiles.entries(serverDir)).isEmpty());
  }

  @Test
  void aSlowButSteadyUploadGoesThrough() throws Exception {
    int port = start(100, 100);
    byte[] data = "slow and steady".getBytes(StandardCharsets.UTF_8);
    try (RawConnection slow = RawConnection.welcomed(port)) {
      slow.send(new Message.PutRequest("steady.txt", data.length, -1));
      for (byte b : data) { // 15 bytes over 3 s: longer than the request timeout in all
        slow.writeRaw(new byte[] {b});
        Thread.sleep(200);
      }
      slow.send(RawConnection.digestOf(data));

      assertThat(slow.receive()).isEqualTo(new Message.Stored("steady.txt", data.length));
    }
  }

  @Test
  void connectionsBeyondTheLimitAreRefusedWithAReason() throws Exception {
    int port = start(2, 100);
    try (RawConnection first = RawConnection.welcomed(port);
        RawConnection second = RawConnection.welcomed(port)) {
      assertThatThrownBy(() -> FileshareClient.connect("127.0.0.1", port))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY))
          .hasMessageContaining("too many connections (the server takes 2 at once)");
    }
    assertServes(port); // the others' departure frees their places
  }

  @Test
  void oneAddressCannotTakeMoreThanItsShare() throws Exception {
    int port = start(100, 2);
    try (RawConnection first = RawConnection.welcomed(port);
        RawConnection second = RawConnection.welcomed(port);
        RawConnection third = new RawConnection(port)) {
      Message refusal = third.receive();
      assertThat(refusal)
          .isInstanceOfSatisfying(
              Message.ErrorReply.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.SERVER_BUSY);
                assertThat(e.message()).contains("from 127.0.0.1", "2 per address");
              });
      assertThat(third.closedByServer()).isTrue();
    }
    assertServes(port);
  }

  @Test
  void manyUploadsWithinASmallServerWideBufferAllComplete() throws Exception {
    int port =
        start(
            new ServerLimits(Duration.ofSeconds(30), Duration.ofMinutes(10), 100, 100)
                .withUploadBuffer(2 << 20));
    java.util.List<java.util.concurrent.Future<?>> uploads = new java.util.ArrayList<>();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(40);
    for (int i = 0; i < 40; i++) {
      Path source = TestFiles.random(sources, "up-" + i + ".bin", 6 << 20, i);
      uploads.add(
          pool.submit(
              () -> {
                try (FileshareClient client = FileshareClient.connect("127.0.0.1", port)) {
                  client.put(source, dev.fileshare.client.TransferListener.NONE);
                }
                return null;
              }));
    }
    for (java.util.concurrent.Future<?> upload : uploads) {
      upload.get(120, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    for (int i = 0; i < 40; i++) {
      assertThat(TestFiles.sha256(serverDir.resolve("up-" + i + ".bin")))
          .isEqualTo(TestFiles.sha256(sources.resolve("up-" + i + ".bin")));
    }
  }

  private static void assertTimedOut(RawConnection connection, String why) throws Exception {
    Message reply = connection.receive();
    assertThat(reply)
        .isInstanceOfSatisfying(
            Message.ErrorReply.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TIMEOUT);
              assertThat(e.message()).contains(why);
            });
    assertThat(connection.closedByServer()).isTrue();
  }

  /** The server serves again, once it has counted out the connections just closed. */
  private static void assertServes(int port) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(FileshareException.class)
        .untilAsserted(
            () -> {
              try (FileshareClient client = FileshareClient.connect("127.0.0.1", port)) {
                assertThat(client.list()).isNotNull();
              }
            });
  }
}
