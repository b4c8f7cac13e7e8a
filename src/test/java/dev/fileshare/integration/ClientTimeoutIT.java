package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that stops answering makes the client fail with TIMEOUT, leaving nothing behind. */
class ClientTimeoutIT {
  private static final Duration READ_TIMEOUT = Duration.ofMillis(400);

  @TempDir Path clientDir;
  private ServerSocket listener;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void listen() throws IOException {
    listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    release.countDown();
    listener.close();
  }

  @Test
  void aServerThatNeverAnswersTimesOut() {
    serveInBackground(out -> {});

    assertThatThrownBy(this::connect)
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT))
        .hasMessageContaining("did not answer in time");
  }

  @Test
  void aDownloadThatStallsMidFileTimesOutAndLeavesNoFile() {
    serveInBackground(
        out -> {
          out.write(RawConnection.frame(new Message.Welcome(1, "stalling")));
          out.write(RawConnection.frame(new Message.FileHeader(1000, -1)));
          out.write(new byte[300]);
        });
    SharedDirectory local = SharedDirectory.open(clientDir, false);

    try (FileshareClient client = connect()) {
      assertThatThrownBy(
              () -> client.get("stuck.bin", local, WriteMode.NO_CLOBBER, TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
      assertThat(client.isConnected()).isFalse();
    }
    assertThat(TestFiles.entries(clientDir)).isEmpty();
  }

  private FileshareClient connect() {
    return FileshareClient.connect(
        "127.0.0.1", listener.getLocalPort(), Duration.ofSeconds(5), READ_TIMEOUT);
  }

  private interface Script {
    void play(OutputStream out) throws IOException;
  }

  /** Accepts one connection, plays the script, then holds the connection silently open. */
  private void serveInBackground(Script script) {
    Thread thread =
        new Thread(
            () -> {
              try (Socket socket = listener.accept()) {
                script.play(socket.getOutputStream());
                socket.getOutputStream().flush();
                release.await(10, TimeUnit.SECONDS);
              } catch (IOException | InterruptedException ignored) {
                // The test is over.
              }
            });
    thread.setDaemon(true);
    thread.start();
  }
}
