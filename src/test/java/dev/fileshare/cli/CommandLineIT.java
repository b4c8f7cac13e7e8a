package dev.fileshare.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.security.KnownServers;
import dev.fileshare.security.ServerIdentity;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerConfig;
import dev.fileshare.server.ServerLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-shot commands and the scripted console, as a user's shell would run them. */
class CommandLineIT {
  @TempDir Path serverDir;
  @TempDir Path clientDir;
  FileshareServer server;
  String address;

  record Run(int status, String out, String err) {}

  @TempDir static Path stateDir;

  @BeforeEach
  void start() {
    // TLS, as the command line runs by default; one identity for the class, as for a real server.
    server =
        FileshareServer.start(
            new ServerConfig(serverDir, InetAddress.getLoopbackAddress(), 0, 0, "cli test server")
                .withIdentity(ServerIdentity.loadOrCreate(stateDir, "cli test server")));
    address = "127.0.0.1:" + server.port();
    // Met before: the tests below see no first-contact note (one test is about that note).
    knownServers().pin("127.0.0.1", server.port(), server.config().identity().fingerprint());
  }

  private static KnownServers knownServers() {
    return new KnownServers(
        MainAccess.testConfigHome().resolve("fileshare").resolve("known_servers"));
  }

  @Test
  void aServerMetForTheFirstTimeIsPinnedAndNamedOnce() {
    knownServers().forget("127.0.0.1", server.port());
    String fingerprint = server.config().identity().fingerprint();
    Run first = run("list", address);
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.err())
        .contains("first contact with " + address)
        .contains(fingerprint)
        .contains("known_servers");
    Run second = run("list", address);
    assertThat(second.status()).isZero();
    assertThat(second.err()).isEmpty();
  }

  @Test
  void aChangedServerIsRefusedUntilTrusted() {
    String real = server.config().identity().fingerprint();
    String other = "ab".repeat(32);
    knownServers().pin("127.0.0.1", server.port(), other);
    Run refused = run("list", address);
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err())
        .contains("presented a different certificate")
        .contains(other)
        .contains(real)
        .contains("fileshare trust " + address + " " + real);
    assertThat(refused.out()).isEmpty();

    Run trust = run("trust", address, real.toUpperCase().replaceAll("(..)(?!$)", "$1:"));
    assertThat(trust.status()).as(trust.err()).isZero();
    assertThat(trust.out()).contains("pinned " + address + " " + real);
    assertThat(run("list", address).status()).isZero();
  }

  @Test
  void tlsAndPlainMismatchesAreOneLineErrors() throws IOException {
    Run plainToTls = run("list", "--plain", address);
    assertThat(plainToTls.status()).isEqualTo(1);
    assertThat(plainToTls.err().lines())
        .singleElement()
        .asString()
        .contains("uses TLS; connect without --plain");
    try (FileshareServer plain =
        FileshareServer.start(
            new ServerConfig(serverDir, InetAddress.getLoopbackAddress(), 0, -1, "plain"))) {
      Run tlsToPlain = run("list", "127.0.0.1:" + plain.port());
      assertThat(tlsToPlain.status()).isEqualTo(1);
      assertThat(tlsToPlain.err().lines())
          .singleElement()
          .asString()
          .contains("does not use TLS")
          .contains("connect with --plain");
      assertThat(run("list", "--plain", "127.0.0.1:" + plain.port()).status()).isZero();
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Run runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            Map.of("XDG_CONFIG_HOME", MainAccess.testConfigHome().toString()));
    return new Run(status, out.toString(), err.toString());
  }

  static Run run(String... args) {
    return runWithInput("", args);
  }

  @Test
  void putListAndGetRoundTrip() throws IOException {
    Path source = Files.writeString(clientDir.resolve("report 1.txt"), "quarterly numbers");

    Run put = run("put", address, source.toString());
    assertThat(put.status()).as(put.err()).isZero();
    assertThat(put.out()).contains("put report 1.txt: 17 B in");

    Run list = run("list", address, "--bytes");
    assertThat(list.status()).isZero();
    assertThat(list.out())
        .containsPattern("\\s+17  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  report 1.txt");

    Path into = Files.createDirectory(clientDir.resolve("downloads"));
    Run get = run("get", address, "report 1.txt", "--dir", into.toString());
    assertThat(get.status()).as(get.err()).isZero();
    assertThat(Files.readString(into.resolve("report 1.txt"))).isEqualTo("quarterly numbers");
  }

  @Test
  void aMissingFileFailsWithOneLineAndExitOneWhileTheOthersArrive() throws IOException {
    Files.writeString(serverDir.resolve("here.txt"), "x");
    Run get = run("get", address, "missing.txt", "here.txt", "--dir", clientDir.toString());
    assertThat(get.status()).isEqualTo(1);
    assertThat(get.err())
        .isEqualTo("fileshare: no such file: missing.txt" + System.lineSeparator());
    assertThat(clientDir.resolve("here.txt")).exists();
    assertThat(clientDir.resolve("missing.txt")).doesNotExist();
  }

  @Test
  void getExpandsQuotedPatternsAgainstTheServersFiles() throws IOException {
    for (String name : new String[] {"a.txt", "b.txt", "c.pdf"}) {
      Files.writeString(serverDir.resolve(name), name);
    }
    Run get = run("get", address, "*.txt", "*.doc", "--dir", clientDir.toString());

    assertThat(get.status()).isEqualTo(1);
    assertThat(get.err())
        .isEqualTo("fileshare: no file on the server matches *.doc" + System.lineSeparator());
    assertThat(get.out()).contains("got a.txt: ").contains("got b.txt: ");
    assertThat(clientDir.resolve("a.txt")).hasContent("a.txt");
    assertThat(clientDir.resolve("b.txt")).hasContent("b.txt");
    assertThat(clientDir.resolve("c.pdf")).doesNotExist();
  }

  @Test
  void manyFilesGoOverOneConnectionInOneCommand() throws IOException {
    Path sources = Files.createDirectory(clientDir.resolve("sources"));
    String[] args = new String[2 + 300];
    args[0] = "put";
    args[1] = address;
    for (int i = 0; i < 300; i++) {
      args[2 + i] = Files.writeString(sources.resolve("n" + i), "#" + i).toString();
    }
    Run put = run(args);
    assertThat(put.status()).as(put.err()).isZero();
    assertThat(put.out().lines()).hasSize(300);

    Path into = Files.createDirectory(clientDir.resolve("into"));
    Run get = run("get", address, "n*", "--dir", into.toString());
    assertThat(get.status()).as(get.err()).isZero();
    assertThat(get.out().lines()).hasSize(300).allMatch(l -> l.startsWith("got n"));
    for (int i = 0; i < 300; i++) {
      assertThat(into.resolve("n" + i)).hasContent("#" + i);
    }
  }

  @Test
  void getRefusesToReplaceALocalFileUnlessForced() throws IOException {
    Files.writeString(serverDir.resolve("a.txt"), "server copy");
    Files.writeString(clientDir.resolve("a.txt"), "my copy");

    Run refused = run("get", address, "a.txt", "--dir", clientDir.toString());
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("a.txt already exists locally (use --force to overwrite)");
    assertThat(Files.readString(clientDir.resolve("a.txt"))).isEqualTo("my copy");

    Run forced = run("get", address, "a.txt", "--dir", clientDir.toString(), "--force");
    assertThat(forced.status()).isZero();
    assertThat(Files.readString(clientDir.resolve("a.txt"))).isEqualTo("server copy");
  }

  @Test
  void scanListsTheServerInTheOriginalFormat() {
    Run scan =
        run(
            "scan",
            "--target",
            "127.0.0.1",
            "--port",
            String.valueOf(server.discoveryPort()),
            "--timeout",
            "0.5");
    assertThat(scan.status()).as(scan.err()).isZero();
    assertThat(scan.out())
        .isEqualTo("cli test server found at " + address + System.lineSeparator());
  }

  @Test
  void scanWithNoAnswerSaysSoAndFails() throws IOException {
    int silentPort;
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
      silentPort = s.getLocalPort();
    }
    Run scan =
        run(
            "scan",
            "--target",
            "127.0.0.1",
            "--port",
            String.valueOf(silentPort),
            "--timeout",
            "0.3");
    assertThat(scan.status()).isEqualTo(1);
    assertThat(scan.err()).contains("No service found");
  }

  @Test
  void anUnreachableServerIsAOneLineError() throws IOException {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run list = run("list", "127.0.0.1:" + closedPort);
    assertThat(list.status()).isEqualTo(1);
    assertThat(list.err()).startsWith("fileshare: cannot connect to 127.0.0.1:" + closedPort);
    assertThat(list.err().lines()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "client", "scan", "list", "get", "put"})
  void everyCommandHasHelp(String command) {
    Run help = run(command, "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).startsWith("Usage: fileshare " + command);
  }

  /** Only the named subcommand's model is built; without one, every subcommand is there. */
  @Test
  void theTopLevelHelpListsEveryCommand() {
    Run help = run("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out())
        .contains("server", "client", "scan", "list", "get", "put", "trust")
        .startsWith("Usage: fileshare");
    Run bare = run();
    assertThat(bare.status()).isEqualTo(2);
    assertThat(bare.err()).contains("get", "put", "trust");
    assertThat(run("--version").status()).isZero();
  }

  @Test
  void aBadCommandLineExitsTwo() {
    assertThat(run("get", address).status()).isEqualTo(2);
    assertThat(run("frobnicate").status()).isEqualTo(2);
    assertThat(run("list", "host:notaport").status()).isEqualTo(2);
  }

  @Test
  void theConsoleRunsAScriptFromStandardInput() throws IOException {
    Files.writeString(clientDir.resolve("up load.txt"), "going up");
    Files.writeString(serverDir.resolve("down.txt"), "coming down");
    String script =
        String.join(
            "\n",
            "# a comment",
            "connect 127.0.0.1 " + server.port(),
            "llist",
            "put \"up load.txt\"",
            "rlist",
            "get down.txt",
            "bye",
            "quit",
            "");
    Run console = runWithInput(script, "client", "--dir", clientDir.toString());
    assertThat(console.status()).as(console.err()).isZero();
    assertThat(console.out())
        .contains("connected to \"cli test server\" at " + address)
        .contains("put up load.txt: 8 B")
        .contains("got down.txt: 11 B")
        .contains("disconnected");
    assertThat(Files.readString(serverDir.resolve("up load.txt"))).isEqualTo("going up");
    assertThat(Files.readString(clientDir.resolve("down.txt"))).isEqualTo("coming down");
  }

  @Test
  void theConsoleReconnectsWhenTheServerClosedTheIdleConnection() throws Exception {
    Files.writeString(serverDir.resolve("later.txt"), "still here");
    ServerLimits impatient =
        new ServerLimits(Duration.ofMillis(300), Duration.ofMillis(300), 100, 100);
    try (FileshareServer strict =
        FileshareServer.start(
            new ServerConfig(
                serverDir, InetAddress.getLoopbackAddress(), 0, -1, "strict", impatient))) {
      PipedOutputStream typing = new PipedOutputStream();
      PipedInputStream stdin = new PipedInputStream(typing);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Thread user =
          new Thread(
              () -> {
                try {
                  typing.write(("connect 127.0.0.1 " + strict.port() + "\n").getBytes(UTF_8));
                  Thread.sleep(1500); // away for longer than the server waits
                  typing.write("rlist\nquit\n".getBytes(UTF_8));
                  typing.close();
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      user.start();
      int status =
          Main.run(
              new String[] {"client", "--plain", "--dir", clientDir.toString()},
              stdin,
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              false,
              Map.of("XDG_CONFIG_HOME", MainAccess.testConfigHome().toString()));
      user.join();

      assertThat(status).as(err.toString()).isZero();
      assertThat(out.toString())
          .contains("(the server had closed the idle connection; reconnected to 127.0.0.1:")
          .contains("later.txt");
    }
  }

  @Test
  void theConsoleSaysInvalidCommandAndExitsNonZeroAfterAnyFailure() {
    String script =
        String.join(
            "\n", "frobnicate", "rlist", "connect 127.0.0.1 " + server.port(), "get nope", "");
    Run console = runWithInput(script, "client", "--dir", clientDir.toString());
    assertThat(console.status()).isEqualTo(1);
    assertThat(console.err())
        .contains("Invalid command: frobnicate (type 'help' for the commands)")
        .contains("not connected")
        .contains("no such file: nope");
  }

  @Test
  void theConsoleHelpListsItsCommands() {
    Run console = runWithInput("help\n", "client", "--dir", clientDir.toString());
    assertThat(console.status()).isZero();
    assertThat(console.out())
        .contains("scan")
        .contains("connect")
        .contains("llist")
        .contains("rlist")
        .contains("put")
        .contains("get")
        .contains("bye")
        .contains("quit");
  }
}
