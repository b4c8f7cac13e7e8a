package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.client.TransferResult;
import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Version 3 verifies file data with XXH3-128, versions 1 and 2 with SHA-256: each side uses the
 * digest of the version the connection speaks, and refuses any other.
 */
class DigestVersionsIT {
  private static final byte[] DATA = "the same bytes, two digests".getBytes(StandardCharsets.UTF_8);

  @TempDir Path serverDir;
  @TempDir Path clientDir;

  @Test
  void aVersion2ClientPutsAndGetsWithSha256AndAVersion3OneWithXxh3() throws Exception {
    // A small file is read and hashed for every GET; a large one is sent by sendfile and its
    // digest remembered, one per algorithm.
    byte[] large = new byte[1 << 20];
    new java.util.Random(3).nextBytes(large);
    try (TestServer server = TestServer.start(serverDir)) {
      for (byte[] data : List.of(DATA, large)) {
        String name = data.length + ".bin";
        try (RawConnection old = welcomed(server.port(), 2)) {
          old.send(new Message.PutRequest(name, data.length, -1));
          old.writeRaw(data);
          old.send(RawConnection.digestOf(DigestAlgorithm.SHA_256, data));
          assertThat(old.receive()).isEqualTo(new Message.Stored(name, data.length));
        }
        assertThat(serverDir.resolve(name)).hasBinaryContent(data);
        // Past the racy window of file times (50 ms), so that the digest cache keeps what it
        // learns.
        Thread.sleep(200);
        // Three rounds, interleaved: the later answers for the large file come from the cache.
        for (int round = 0; round < 3; round++) {
          for (int version : new int[] {2, 3, 1}) {
            DigestAlgorithm expected =
                version == 3 ? DigestAlgorithm.XXH3_128 : DigestAlgorithm.SHA_256;
            try (RawConnection raw = welcomed(server.port(), version)) {
              raw.send(new Message.GetRequest(name));
              assertThat(raw.receive()).isInstanceOf(Message.FileHeader.class);
              assertThat(raw.readData(data.length)).isEqualTo(data);
              assertThat(raw.receive())
                  .as("%s, version %d, round %d", name, version, round)
                  .isEqualTo(RawConnection.digestOf(expected, data));
            }
          }
        }
      }
    }
  }

  @Test
  void aDigestOfAnotherAlgorithmThanTheConnectionsIsRefusedAndNothingIsStored() throws Exception {
    try (TestServer server = TestServer.start(serverDir);
        RawConnection raw = RawConnection.welcomed(server.port())) {
      raw.send(new Message.PutRequest("mixed.txt", DATA.length, -1));
      raw.writeRaw(DATA);
      // Right bytes, right hash, wrong algorithm for version 3.
      raw.send(RawConnection.digestOf(DigestAlgorithm.SHA_256, DATA));
      Message reply = raw.receive();
      assertThat(reply)
          .isInstanceOfSatisfying(
              Message.ErrorReply.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                assertThat(e.message()).contains("XXH3-128").contains("SHA-256");
              });
    }
    assertThat(TestFiles.entries(serverDir)).isEmpty();
  }

  @Test
  void theClientVerifiesAVersion2ServersFileWithSha256() throws Exception {
    try (FakeServer old = new FakeServer(2, RawConnection.digestOf(DigestAlgorithm.SHA_256, DATA));
        FileshareClient client = old.connect()) {
      TransferResult got =
          client.get(
              "old.txt",
              SharedDirectory.open(clientDir, false),
              WriteMode.NO_CLOBBER,
              TransferListener.NONE);
      assertThat(got.digestAlgorithm()).isEqualTo(DigestAlgorithm.SHA_256);
      assertThat(got.digestHex()).isEqualTo(TestFiles.sha256(clientDir.resolve("old.txt")));
    }
    assertThat(clientDir.resolve("old.txt")).hasBinaryContent(DATA);
  }

  @Test
  void theClientRefusesADigestOfAnotherAlgorithmAndKeepsNothing() throws Exception {
    // A version 2 server must send SHA-256; an XXH3-128 digest, even a right one, is refused.
    try (FakeServer confused =
            new FakeServer(2, RawConnection.digestOf(DigestAlgorithm.XXH3_128, DATA));
        FileshareClient client = confused.connect()) {
      assertThatThrownBy(
              () ->
                  client.get(
                      "old.txt",
                      SharedDirectory.open(clientDir, false),
                      WriteMode.NO_CLOBBER,
                      TransferListener.NONE))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
          .hasMessageContaining("XXH3-128")
          .hasMessageContaining("SHA-256");
    }
    assertThat(TestFiles.entries(clientDir)).isEmpty();
  }

  private static RawConnection welcomed(int port, int version) throws IOException {
    RawConnection raw = new RawConnection(port);
    raw.send(new Message.Hello(version, "digest-test"));
    assertThat(raw.receive())
        .isInstanceOfSatisfying(
            Message.Welcome.class, w -> assertThat(w.version()).isEqualTo(version));
    return raw;
  }

  /** Speaks an older version: WELCOME, then answers one GET with {@link #DATA} and a digest. */
  private static final class FakeServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread thread;

    FakeServer(int version, Message.Digest digest) throws IOException {
      listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                try (Socket socket = listener.accept()) {
                  InputStream in = socket.getInputStream();
                  OutputStream out = socket.getOutputStream();
                  readFrame(in); // HELLO
                  out.write(
                      RawConnection.frame(
                          new Message.Welcome(version, "old", Message.Welcome.ACCESS_OPEN)));
                  out.flush();
                  readFrame(in); // GET
                  out.write(RawConnection.frame(new Message.FileHeader(DATA.length, -1)));
                  out.write(DATA);
                  out.write(RawConnection.frame(digest));
                  out.flush();
                  while (in.read() >= 0) {
                    // Until the client leaves.
                  }
                } catch (IOException ignored) {
                  // The test is over.
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    FileshareClient connect() {
      return FileshareClient.connect(
          "127.0.0.1", listener.getLocalPort(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private static void readFrame(InputStream in) throws IOException {
      byte[] header = in.readNBytes(5);
      int length =
          ((header[1] & 0xff) << 24)
              | ((header[2] & 0xff) << 16)
              | ((header[3] & 0xff) << 8)
              | (header[4] & 0xff);
      in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
