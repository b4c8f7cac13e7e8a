package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.protocol.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client without manners can send: hostile names, wrong digests, garbage, dropped
 * connections. Each gets a clear error; the server keeps serving and keeps nothing partial.
 */
class HostileInputIT {
  @TempDir Path serverDir;
  @TempDir Path outside;
  TestServer server;

  @BeforeEach
  void start() throws IOException {
    Files.writeString(outside.resolve("secret.txt"), "top secret");
    server = TestServer.start(serverDir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../secret.txt",
        "../../etc/passwd",
        "/etc/passwd",
        "a/b",
        "..",
        ".",
        "",
        "back\\slash",
        "nul\u0000byte",
        "new\nline",
        ".fileshare-tmp-0123"
      })
  void hostileNamesAreRefusedForGetAndPutAndTheConnectionGoesOn(String name) throws IOException {
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.GetRequest(name));
      assertError(c.receive(), ErrorCode.INVALID_NAME);

      byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
      c.send(new Message.PutRequest(name, data.length, -1));
      c.writeRaw(data);
      c.send(RawConnection.digestOf(data));
      assertError(c.receive(), ErrorCode.INVALID_NAME);

      c.send(new Message.ListRequest());
      assertThat(c.receive()).isInstanceOf(Message.ListEnd.class);
    }
    assertThat(TestFiles.entries(serverDir)).isEmpty();
  }

  @Test
  void aLinkLeadingOutsideIsNeitherListedNorServed() throws IOException {
    Files.createSymbolicLink(serverDir.resolve("link"), outside.resolve("secret.txt"));
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.GetRequest("link"));
      assertError(c.receive(), ErrorCode.INVALID_NAME);
      c.send(new Message.ListRequest());
      assertThat(c.receive()).isInstanceOf(Message.ListEnd.class);
    }
  }

  @Test
  void aWrongDigestDiscardsTheUploadAndTheConnectionGoesOn() throws IOException {
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      byte[] data = new byte[100_000];
      c.send(new Message.PutRequest("corrupt.bin", data.length, -1));
      c.writeRaw(data);
      c.send(new Message.Digest(DigestAlgorithm.XXH3_128, new byte[16]));
      assertError(c.receive(), ErrorCode.DIGEST_MISMATCH);

      c.send(new Message.PutRequest("good.bin", data.length, -1));
      c.writeRaw(data);
      c.send(RawConnection.digestOf(data));
      assertThat(c.receive()).isEqualTo(new Message.Stored("good.bin", data.length));
    }
    assertThat(TestFiles.entries(serverDir)).containsExactly("good.bin");
  }

  @Test
  void garbageInsteadOfHelloGetsAProtocolErrorAndAClose() throws IOException {
    try (RawConnection c = new RawConnection(server.port())) {
      c.writeRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertError(c.receive(), ErrorCode.PROTOCOL_ERROR);
      assertThat(c.closedByServer()).isTrue();
    }
    assertServerStillServes();
  }

  @Test
  void aTlsHandshakeOnThePlainPortGetsATlsMismatch() throws IOException {
    try (RawConnection c = new RawConnection(server.port())) {
      c.writeRaw(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc});
      assertError(c.receive(), ErrorCode.TLS_MISMATCH);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aRequestBeforeHelloIsRefused() throws IOException {
    try (RawConnection c = new RawConnection(server.port())) {
      c.send(new Message.ListRequest());
      assertError(c.receive(), ErrorCode.PROTOCOL_ERROR);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void anUnsupportedVersionIsRefused() throws IOException {
    try (RawConnection c = new RawConnection(server.port())) {
      c.send(new Message.Hello(0, "ancient"));
      assertError(c.receive(), ErrorCode.UNSUPPORTED_VERSION);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void anOversizedFrameIsRefusedWithoutBeingBuffered() throws IOException {
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.writeRaw(new byte[] {0x03, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      assertError(c.receive(), ErrorCode.PROTOCOL_ERROR);
      assertThat(c.closedByServer()).isTrue();
    }
    assertServerStillServes();
  }

  @Test
  void aReplyFrameFromAClientIsAProtocolError() throws IOException {
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.Goodbye());
      assertError(c.receive(), ErrorCode.PROTOCOL_ERROR);
    }
  }

  @Test
  void aFrameInsteadOfTheDigestIsAProtocolErrorAndNothingIsKept() throws IOException {
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.PutRequest("x.bin", 3, -1));
      c.writeRaw(new byte[] {1, 2, 3});
      c.send(new Message.ListRequest());
      assertError(c.receive(), ErrorCode.PROTOCOL_ERROR);
    }
    awaitNoLeftovers();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    Files.writeString(serverDir.resolve("one.txt"), "1");
    Files.writeString(serverDir.resolve("two.txt"), "22");
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.GetRequest("one.txt"));
      c.send(new Message.GetRequest("missing"));
      c.send(new Message.GetRequest("two.txt"));
      c.send(new Message.ByeRequest());
      assertThat(c.receive()).isInstanceOf(Message.FileHeader.class);
      assertThat(new String(c.readData(1), StandardCharsets.UTF_8)).isEqualTo("1");
      assertThat(c.receive()).isEqualTo(RawConnection.digestOf("1".getBytes()));
      assertError(c.receive(), ErrorCode.NOT_FOUND);
      assertThat(c.receive()).isInstanceOf(Message.FileHeader.class);
      assertThat(new String(c.readData(2), StandardCharsets.UTF_8)).isEqualTo("22");
      assertThat(c.receive()).isInstanceOf(Message.Digest.class);
      assertThat(c.receive()).isEqualTo(new Message.Goodbye());
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aClientThatVanishesMidUploadLeavesNothingBehind(boolean reset) throws IOException {
    Files.writeString(serverDir.resolve("big.bin"), "the earlier version");
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.PutRequest("big.bin", 50_000_000, -1));
      c.writeRaw(new byte[12_000_000]);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> TestFiles.entries(serverDir).stream().anyMatch(n -> n.startsWith(".")));
      if (reset) {
        c.reset();
      }
    }
    awaitNoLeftovers();
    assertThat(Files.readString(serverDir.resolve("big.bin"))).isEqualTo("the earlier version");
    assertServerStillServes();
  }

  private void awaitNoLeftovers() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(TestFiles.entries(serverDir))
                    .noneMatch(n -> n.startsWith(".fileshare-")));
  }

  private void assertServerStillServes() throws IOException {
    try (RawConnection c = RawConnection.welcomed(server.port())) {
      c.send(new Message.ListRequest());
      Message m;
      do {
        m = c.receive();
      } while (m instanceof Message.ListEntries);
      assertThat(m).isInstanceOf(Message.ListEnd.class);
    }
  }

  private static void assertError(Message reply, ErrorCode code) {
    assertThat(reply).isInstanceOf(Message.ErrorReply.class);
    assertThat(((Message.ErrorReply) reply).code()).isEqualTo(code);
    assertThat(((Message.ErrorReply) reply).message()).isNotBlank();
  }
}
