package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TlsPolicy;
import dev.fileshare.client.TransferListener;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.discovery.FoundService;
import dev.fileshare.discovery.ScanRequest;
import dev.fileshare.discovery.ServiceScanner;
import dev.fileshare.protocol.Message;
import dev.fileshare.security.KnownServers;
import dev.fileshare.security.ServerIdentity;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerConfig;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the file-sharing connection: data is encrypted and verified, a server is pinned on first
 * contact and refused when its certificate changes, and a TLS/plain mismatch in either direction is
 * a clear error rather than a hang.
 */
class TlsIT {
  private static final Duration NO_HANG = Duration.ofSeconds(20);

  @TempDir Path serverDir;
  @TempDir Path clientDir;
  @TempDir Path stateDir;
  @TempDir Path configDir;

  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final List<FileshareServer> servers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(FileshareServer::close);
  }

  private FileshareServer start(ServerIdentity identity, int port, int discoveryPort) {
    ServerConfig config =
        new ServerConfig(serverDir, InetAddress.getLoopbackAddress(), port, discoveryPort, "tls")
            .withIdentity(identity);
    FileshareServer server = FileshareServer.start(config);
    servers.add(server);
    return server;
  }

  private FileshareServer startTls() {
    return start(ServerIdentity.loadOrCreate(stateDir, "tls"), 0, ServerConfig.DISCOVERY_OFF);
  }

  private TlsPolicy policy() {
    return new TlsPolicy(new KnownServers(configDir.resolve("known_servers")), notices::add);
  }

  private FileshareClient connect(int port) {
    return FileshareClient.connect("127.0.0.1", port, policy());
  }

  @Test
  void filesGoBothWaysEncryptedAndVerified() throws Exception {
    FileshareServer server = startTls();
    Path big = TestFiles.random(clientDir, "big.bin", (5 << 20) + 123, 7);
    Path small = Files.writeString(clientDir.resolve("note.txt"), "a small note");
    Path into = Files.createDirectory(clientDir.resolve("into"));
    try (FileshareClient client = connect(server.port())) {
      assertThat(client.encrypted()).isTrue();
      client.putAll(List.of(big, small), dev.fileshare.client.BatchListener.NONE);
      assertThat(client.list())
          .extracting(FileInfo::name)
          .containsExactlyInAnyOrder("big.bin", "note.txt");
      SharedDirectory destination = SharedDirectory.open(into, false);
      client.getAll(
          List.of("big.bin", "note.txt"),
          destination,
          WriteMode.NO_CLOBBER,
          dev.fileshare.client.BatchListener.NONE);
      // A second GET of the same file takes the remembered-digest path.
      client.get("big.bin", destination, WriteMode.REPLACE, TransferListener.NONE);
    }
    assertThat(Files.mismatch(big, serverDir.resolve("big.bin"))).isEqualTo(-1);
    assertThat(Files.mismatch(big, into.resolve("big.bin"))).isEqualTo(-1);
    assertThat(into.resolve("note.txt")).hasContent("a small note");
  }

  /**
   * Many small files pipelined with large ones: the client's reads then land in every kind of
   * buffer space, small remainders included (a read loop that spun on such a remainder is why).
   */
  @Test
  void aMixedPipelinedBatchCrossesIntact() throws Exception {
    FileshareServer server = startTls();
    List<Path> sources = new java.util.ArrayList<>();
    int[] sizes = {0, 100, 65_536, 3 << 20, 9 << 20};
    for (int i = 0; i < sizes.length; i++) {
      sources.add(TestFiles.random(clientDir, "mixed-" + i + ".bin", sizes[i], i));
    }
    for (int i = 0; i < 60; i++) {
      sources.add(TestFiles.random(clientDir, "small-" + i + ".bin", 4096, 100 + i));
    }
    List<String> names = sources.stream().map(p -> p.getFileName().toString()).toList();
    Path into = Files.createDirectory(clientDir.resolve("into"));
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int round = 0; round < 2; round++) {
            try (FileshareClient client = connect(server.port())) {
              client.putAll(sources, dev.fileshare.client.BatchListener.NONE);
              assertThat(
                      client.getAll(
                          names,
                          SharedDirectory.open(into, false),
                          WriteMode.REPLACE,
                          dev.fileshare.client.BatchListener.NONE))
                  .hasSize(names.size());
            }
          }
        });
    for (Path source : sources) {
      assertThat(Files.mismatch(source, into.resolve(source.getFileName()))).isEqualTo(-1);
    }
  }

  @Test
  void theWireShowsNoPlaintext() throws Exception {
    FileshareServer server = startTls();
    String secret = "the launch code is 0000";
    Path file = Files.writeString(clientDir.resolve("secret name.txt"), secret.repeat(1000));
    try (FaultyProxy proxy = FaultyProxy.recording(server.port());
        FileshareClient client = connect(proxy.port())) {
      client.put(file, TransferListener.NONE);
      client.list();
      String wire = new String(proxy.seen(), StandardCharsets.ISO_8859_1);
      assertThat(wire).doesNotContain("launch code").doesNotContain("secret name");
      assertThat(proxy.seen().length).isGreaterThan(secret.length() * 1000);
    }
  }

  @Test
  void firstContactPinsAndTellsOnce() {
    FileshareServer server = startTls();
    String fingerprint = ServerIdentity.loadOrCreate(stateDir, "tls").fingerprint();
    try (FileshareClient client = connect(server.port())) {
      client.list();
    }
    try (FileshareClient client = connect(server.port())) {
      client.list();
    }
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0))
        .contains("first contact with 127.0.0.1:" + server.port())
        .contains(fingerprint);
    assertThat(
            new KnownServers(configDir.resolve("known_servers")).lookup("127.0.0.1", server.port()))
        .contains(fingerprint);
  }

  @Test
  void aChangedCertificateIsRefusedBeforeAnyRequest(@TempDir Path otherState) throws Exception {
    FileshareServer first = startTls();
    int port = first.port();
    try (FileshareClient client = connect(port)) {
      client.list();
    }
    first.close();
    servers.remove(first);
    ServerIdentity impostor = ServerIdentity.loadOrCreate(otherState, "impostor");
    start(impostor, port, ServerConfig.DISCOVERY_OFF);
    String pinned = ServerIdentity.loadOrCreate(stateDir, "tls").fingerprint();

    assertThatThrownBy(() -> connect(port))
        .isInstanceOfSatisfying(
            FileshareException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.FINGERPRINT_CHANGED))
        .hasMessageContaining(pinned)
        .hasMessageContaining(impostor.fingerprint())
        .hasMessageContaining("fileshare trust 127.0.0.1:" + port + " " + impostor.fingerprint());
    // Still refused: the pin is not replaced by merely meeting the new certificate.
    assertThatThrownBy(() -> connect(port)).isInstanceOf(FileshareException.class);

    new KnownServers(configDir.resolve("known_servers"))
        .pin("127.0.0.1", port, impostor.fingerprint());
    try (FileshareClient client = connect(port)) {
      assertThat(client.list()).isEmpty();
    }
  }

  @Test
  void aPlainClientMeetingATlsServerIsToldWhatToDo() {
    FileshareServer server = startTls();
    assertTimeoutPreemptively(
        NO_HANG,
        () ->
            assertThatThrownBy(() -> FileshareClient.connect("127.0.0.1", server.port()))
                .isInstanceOfSatisfying(
                    FileshareException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TLS_MISMATCH))
                .hasMessageContaining("uses TLS")
                .hasMessageContaining("without --plain"));
  }

  @Test
  void aTlsClientMeetingAPlainServerIsToldWhatToDo() {
    FileshareServer server = start(null, 0, ServerConfig.DISCOVERY_OFF);
    assertTimeoutPreemptively(
        NO_HANG,
        () ->
            assertThatThrownBy(() -> connect(server.port()))
                .isInstanceOfSatisfying(
                    FileshareException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TLS_MISMATCH))
                .hasMessageContaining("does not use TLS")
                .hasMessageContaining("connect with --plain"));
    assertThat(notices).isEmpty();
  }

  @Test
  void tlsGarbageIsCutAndTheServerServesOn() throws Exception {
    FileshareServer server = startTls();
    byte[] junk = new byte[4096];
    new Random(3).nextBytes(junk);
    junk[0] = 0x16; // looks like a handshake record, is not one
    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(junk);
            InputStream in = socket.getInputStream();
            // The server answers with an alert at most, then closes.
            while (in.read(new byte[1024]) >= 0) {}
          }
        });
    // Plain frames on the TLS port get the mismatch error, in plain.
    try (RawConnection raw = new RawConnection(server.port())) {
      raw.send(new Message.Hello(2, "plain"));
      Message reply = raw.receive();
      assertThat(reply).isInstanceOf(Message.ErrorReply.class);
      assertThat(((Message.ErrorReply) reply).code()).isEqualTo(ErrorCode.TLS_MISMATCH);
      assertThat(raw.receive()).isNull();
    }
    try (FileshareClient client = connect(server.port())) {
      assertThat(client.list()).isEmpty();
    }
  }

  @Test
  void theDiscoveryReplyCarriesTheFingerprint() throws Exception {
    ServerIdentity identity = ServerIdentity.loadOrCreate(stateDir, "tls");
    FileshareServer server = start(identity, 0, 0);
    ScanRequest request =
        ScanRequest.defaults()
            .withPort(server.discoveryPort())
            .withTimeout(Duration.ofMillis(600))
            .withTargets(List.of(InetAddress.getByName("127.0.0.1")));
    List<FoundService> found = new ServiceScanner().scan(request);
    assertThat(found)
        .singleElement()
        .extracting(FoundService::fingerprint)
        .isEqualTo(identity.fingerprint());
  }

  @Test
  void theJdkEngineAndBoringSslTalkToEachOther() throws Exception {
    FileshareServer server = startTls();
    Path file = TestFiles.random(clientDir, "across.bin", 2 << 20, 5);
    System.setProperty("fileshare.tls", "jdk");
    TlsPolicy jdkPolicy;
    try {
      jdkPolicy = policy();
      try (FileshareClient client =
          FileshareClient.connect("127.0.0.1", server.port(), jdkPolicy)) {
        client.put(file, TransferListener.NONE);
        assertThat(client.list()).extracting(FileInfo::name).containsExactly("across.bin");
      }
    } finally {
      System.clearProperty("fileshare.tls");
    }
    assertThat(Files.mismatch(file, serverDir.resolve("across.bin"))).isEqualTo(-1);
  }

  @Test
  void aKeyInsideTheShareIsRefusedLinksFollowed() throws Exception {
    Path link = Files.createSymbolicLink(stateDir.resolve("state-link"), serverDir);
    // Through the command line: refused before any key is written.
    dev.fileshare.cli.MainAccess.Run run =
        dev.fileshare.cli.MainAccess.run(
            "server",
            "--dir",
            serverDir.toString(),
            "--state-dir",
            link.toString(),
            "--port",
            "0",
            "--no-discovery",
            "--bind",
            "127.0.0.1");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("inside the shared directory").contains("--state-dir");
    assertThat(TestFiles.entries(serverDir)).isEmpty();
    // Through the API: a server given such an identity does not start.
    ServerIdentity inside = ServerIdentity.loadOrCreate(serverDir.resolve("keys"), "x");
    assertThatThrownBy(() -> start(inside, 0, ServerConfig.DISCOVERY_OFF))
        .isInstanceOf(FileshareException.class)
        .hasMessageContaining("inside the shared directory");
  }

  @Test
  void aHalfSentHandshakeIsCutAfterTheRequestTimeout() throws Exception {
    ServerConfig config =
        TestServer.config(serverDir, "tls")
            .withLimits(
                new dev.fileshare.server.ServerLimits(
                    Duration.ofSeconds(1), Duration.ofMinutes(10), 100, 100))
            .withIdentity(ServerIdentity.loadOrCreate(stateDir, "tls"));
    FileshareServer server = FileshareServer.start(config);
    servers.add(server);
    assertTimeoutPreemptively(
        NO_HANG,
        () -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            // The start of a ClientHello record, then silence (slowloris).
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01});
            socket.setSoTimeout(15_000);
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            while (in.read(new byte[256]) >= 0) {}
            // Cut at the 1 s request timeout, well before the TLS default of 10 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(Duration.ofSeconds(5));
          }
        });
    try (FileshareClient client = connect(server.port())) {
      assertThat(client.list()).isEmpty();
    }
  }
}
