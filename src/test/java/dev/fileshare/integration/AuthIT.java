package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.cli.MainAccess;
import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.PasswordSource;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.security.Password;
import dev.fileshare.server.AccessPolicy;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A share with a password: nothing without it, a wrong one ends the connection, repeated failures
 * are throttled, and with anonymous read only put needs it. Over plain TCP here, to show that the
 * check holds at the protocol level whatever the transport; TlsIT covers TLS.
 */
class AuthIT {
  private static final String SECRET = "correct horse battery staple";

  @TempDir Path serverDir;
  @TempDir Path clientDir;
  private FileshareServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int start(AccessPolicy access) {
    server = FileshareServer.start(TestServer.config(serverDir, "locked").withAccess(access));
    return server.port();
  }

  private static FileshareClient connect(int port, String password) {
    return FileshareClient.connect(
        "127.0.0.1",
        port,
        FileshareClient.CONNECT_TIMEOUT,
        FileshareClient.READ_TIMEOUT,
        null,
        peer -> password);
  }

  private static void assertAuthFailure(Runnable action, String message) {
    assertThatThrownBy(action::run)
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED))
        .hasMessageContaining(message);
  }

  @Test
  void everyCommandNeedsThePassword() throws Exception {
    Files.writeString(serverDir.resolve("plans.txt"), "plans");
    int port = start(AccessPolicy.password(Password.of(SECRET)));

    assertAuthFailure(() -> connect(port, null), "needs a password");
    assertAuthFailure(() -> connect(port, "guess"), "wrong password");
    try (FileshareClient client = connect(port, SECRET)) {
      assertThat(client.needsPassword()).isTrue();
      assertThat(client.list()).extracting(FileInfo::name).containsExactly("plans.txt");
      Path file = Files.writeString(clientDir.resolve("reply.txt"), "ok");
      client.put(file, TransferListener.NONE);
    }
    assertThat(serverDir.resolve("reply.txt")).hasContent("ok");
  }

  @Test
  void aClientThatSkipsThePasswordGetsNothing() throws Exception {
    Files.writeString(serverDir.resolve("plans.txt"), "plans");
    int port = start(AccessPolicy.password(Password.of(SECRET)));
    for (int version : new int[] {1, 2}) {
      try (RawConnection raw = new RawConnection(port)) {
        raw.send(new Message.Hello(version, "sneaky"));
        Message.Welcome welcome = (Message.Welcome) raw.receive();
        assertThat(welcome.version()).isEqualTo(version);
        assertThat(welcome.access())
            .isEqualTo(
                version == 1 ? Message.Welcome.ACCESS_OPEN : Message.Welcome.ACCESS_PASSWORD);
        raw.send(new Message.ListRequest());
        assertThat(errorCode(raw.receive())).isEqualTo(ErrorCode.AUTH_REQUIRED);
        raw.send(new Message.GetRequest("plans.txt"));
        assertThat(errorCode(raw.receive())).isEqualTo(ErrorCode.AUTH_REQUIRED);
        // An upload's data is read and dropped, so the connection stays in step.
        byte[] data = "intruder".getBytes();
        raw.send(new Message.PutRequest("dropped.txt", data.length, -1));
        raw.writeRaw(data);
        raw.send(
            new Message.Digest(
                DigestAlgorithm.SHA_256,
                java.security.MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(errorCode(raw.receive())).isEqualTo(ErrorCode.AUTH_REQUIRED);
        raw.send(new Message.Auth(SECRET));
        assertThat(raw.receive()).isInstanceOf(Message.AuthOk.class);
        raw.send(new Message.ListRequest());
        assertThat(raw.receive()).isInstanceOf(Message.ListEntries.class);
      }
    }
    assertThat(TestFiles.entries(serverDir)).containsExactly("plans.txt");
  }

  @Test
  void failuresAreThrottledPerAddress() {
    int port = start(AccessPolicy.password(Password.of(SECRET)));
    for (int i = 0; i < 5; i++) {
      assertAuthFailure(() -> connect(port, "guess"), "wrong password");
    }
    // Even the right password waits now: the server does not check it.
    assertAuthFailure(() -> connect(port, SECRET), "too many failed password attempts");
  }

  @Test
  void anonymousReadNeedsThePasswordOnlyToPut() throws Exception {
    Files.writeString(serverDir.resolve("public.txt"), "for all");
    int port = start(AccessPolicy.passwordToPut(Password.of(SECRET)));
    Path upload = Files.writeString(clientDir.resolve("mine.txt"), "mine");
    Path into = Files.createDirectory(clientDir.resolve("into"));
    try (FileshareClient client = connect(port, null)) {
      assertThat(client.list()).extracting(FileInfo::name).containsExactly("public.txt");
      client.get(
          "public.txt",
          SharedDirectory.open(into, false),
          WriteMode.NO_CLOBBER,
          TransferListener.NONE);
      assertAuthFailure(() -> client.put(upload, TransferListener.NONE), "needs a password");
    }
    try (FileshareClient client = connect(port, SECRET)) {
      client.put(upload, TransferListener.NONE);
    }
    assertThat(into.resolve("public.txt")).hasContent("for all");
    assertThat(serverDir.resolve("mine.txt")).hasContent("mine");
  }

  @Test
  void theCommandLineTakesThePasswordFromTheEnvironmentOrAFile() throws Exception {
    Files.writeString(serverDir.resolve("plans.txt"), "plans");
    int port = start(AccessPolicy.password(Password.of(SECRET)));
    String address = "127.0.0.1:" + port;

    MainAccess.Run missing = MainAccess.run(Map.of(), "list", "--plain", address);
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("needs a password").contains("FILESHARE_PASSWORD");

    MainAccess.Run wrong =
        MainAccess.run(Map.of("FILESHARE_PASSWORD", "nope"), "list", "--plain", address);
    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.err()).contains("authentication failed").contains("wrong password");
    assertThat(wrong.out()).doesNotContain("plans.txt");

    MainAccess.Run fromEnv =
        MainAccess.run(Map.of("FILESHARE_PASSWORD", SECRET), "list", "--plain", address);
    assertThat(fromEnv.status()).as(fromEnv.err()).isZero();
    assertThat(fromEnv.out()).contains("plans.txt");

    Path file = Files.writeString(clientDir.resolve("pw"), SECRET + "\nsecond line ignored\n");
    MainAccess.Run fromFile =
        MainAccess.run(Map.of(), "list", "--plain", "--password-file", file.toString(), address);
    assertThat(fromFile.status()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).contains("plans.txt");
    assertThat(fromFile.err()).doesNotContain(SECRET).contains("unencrypted (--plain)");
  }

  @Test
  void aRefusedPasswordIsReportedToItsSourceSoItIsNotGivenAgain() {
    int port = start(AccessPolicy.password(Password.of(SECRET)));
    List<String> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();
    PasswordSource source =
        new PasswordSource() {
          @Override
          public String password(String peer) {
            return "typo";
          }

          @Override
          public void rejected(String peer) {
            rejected.add(peer);
          }
        };
    assertAuthFailure(
        () ->
            FileshareClient.connect(
                "127.0.0.1",
                port,
                FileshareClient.CONNECT_TIMEOUT,
                FileshareClient.READ_TIMEOUT,
                null,
                source),
        "wrong password");
    assertThat(rejected).containsExactly("127.0.0.1:" + port);
  }

  @Test
  void thePasswordNeverShowsInMessages() {
    assertThat(new Message.Auth(SECRET).toString()).doesNotContain(SECRET);
    assertThat(Password.of(SECRET).toString()).doesNotContain(SECRET);
  }

  private static ErrorCode errorCode(Message reply) {
    assertThat(reply).isInstanceOf(Message.ErrorReply.class);
    return ((Message.ErrorReply) reply).code();
  }
}
