package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hosts on a real (if private) Ethernet: network namespaces joined by a bridge that lives in
 * its own namespace, built by src/test/netlab/netlab.sh. Hosts 1 and 2 each run a server as its own
 * process on the default ports; host 3 is the client, and finds both by broadcast. Broadcasts stay
 * on the lab's bridge: nothing here ever probes the network of the machine running the build.
 *
 * <p>Skipped, with the reason, where network namespaces cannot be made (not root, no iproute2, a
 * container without the privilege), or when FILESHARE_NETLAB_DISABLE=1.
 */
class RealNetworkIT {
  static final String SUBNET = "10.203.7";
  static final String ALPHA = "alpha server";
  static final String BETA = "beta server";
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration SERVER_START = Duration.ofSeconds(60);
  static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path work;

  static Path root;
  static Path jar;
  static Path netlab;
  static String lab;
  static Thread emergencyTeardown;
  static Server alpha;
  static Server beta;

  record Run(int status, String out, String err, String command) {
    String describe() {
      return command + "\nexit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  /** A server process on one host, its stdout and stderr together in a log file. */
  record Server(String name, int host, Path dir, Path log, Process process) {
    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }
  }

  @BeforeAll
  static void buildTheLabAndStartTwoServers() throws Exception {
    root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    netlab = root.resolve("src/test/netlab/netlab.sh");
    String reason = check();
    assumeTrue(
        reason == null,
        () ->
            "real-network test skipped: cannot create network namespaces (needs root and"
                + " iproute2): "
                + reason);
    jar = root.resolve("target/fileshare.jar");
    assertThat(jar).as("the jar, built by `mvn package` before the integration tests").exists();

    // A lab left by a test JVM that was killed halfway has its owner's pid in its name.
    script("reap", "fst");
    lab = "fst" + ProcessHandle.current().pid();
    emergencyTeardown = new Thread(RealNetworkIT::emergencyTeardown, "netlab teardown");
    Runtime.getRuntime().addShutdownHook(emergencyTeardown);
    Run up = script("up", lab, "3", SUBNET);
    assertThat(up.status()).as(up.describe()).isZero();

    alpha = startServer(ALPHA, 1);
    beta = startServer(BETA, 2);
    awaitReady(alpha);
    awaitReady(beta);
  }

  @AfterAll
  static void stopTheServersAndRemoveTheLab() throws Exception {
    if (lab == null) {
      return;
    }
    try {
      stop(alpha);
    } finally {
      try {
        stop(beta);
      } finally {
        Run down = script("down", lab);
        assertThat(down.status()).as(down.describe()).isZero();
        Runtime.getRuntime().removeShutdownHook(emergencyTeardown);
        lab = null;
      }
    }
  }

  @Test
  void aBroadcastScanFromTheClientHostFindsBothServersEachAtItsOwnAddress() throws Exception {
    Run scan = client("scan", "--timeout", "2");

    assertThat(scan.status()).as(scan.describe()).isZero();
    assertThat(scan.out().lines())
        .as(scan.describe())
        .containsExactlyInAnyOrder(
            ALPHA + " found at " + SUBNET + ".1:30001", BETA + " found at " + SUBNET + ".2:30001");
  }

  @Test
  void aScanAimedAtOneHostFindsOnlyThatServer() throws Exception {
    Run scan = client("scan", "--timeout", "1", "--target", SUBNET + ".2");

    assertThat(scan.status()).as(scan.describe()).isZero();
    assertThat(scan.out().lines())
        .as(scan.describe())
        .containsExactly(BETA + " found at " + SUBNET + ".2:30001");
  }

  @Test
  void aFileCrossesBetweenHostsIntact() throws Exception {
    Path clientDir = Files.createDirectories(work.resolve("client"));
    Path downloads = Files.createDirectories(work.resolve("downloads"));
    byte[] data = new byte[5 * 1024 * 1024 + 4321];
    new Random(20_302).nextBytes(data);
    Path source = Files.write(clientDir.resolve("payload.bin"), data);
    String expected = sha256(source);

    Run putAlpha = client("put", SUBNET + ".1", source.toString());
    assertThat(putAlpha.status()).as(putAlpha.describe()).isZero();
    Run get = client("get", SUBNET + ".1", "payload.bin", "--dir", downloads.toString());
    assertThat(get.status()).as(get.describe()).isZero();
    Run putBeta = client("put", SUBNET + ".2", source.toString());
    assertThat(putBeta.status()).as(putBeta.describe()).isZero();

    assertThat(sha256(alpha.dir().resolve("payload.bin")))
        .as("on host 1\n" + alpha.output())
        .isEqualTo(expected);
    assertThat(sha256(beta.dir().resolve("payload.bin")))
        .as("on host 2\n" + beta.output())
        .isEqualTo(expected);
    assertThat(sha256(downloads.resolve("payload.bin"))).as("downloaded").isEqualTo(expected);
  }

  /** Null if namespaces can be made here, else why not. */
  static String check() {
    try {
      Run check = script("check");
      return check.status() == 0 ? null : (check.out() + check.err()).strip();
    } catch (IOException | RuntimeException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  static Run script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", netlab.toString()));
    command.addAll(List.of(args));
    return run(command, SCRIPT_TIMEOUT);
  }

  /** A fileshare command on host 3, the client. */
  static Run client(String... args) throws IOException, InterruptedException {
    return run(fileshare(3, args), CLIENT_TIMEOUT);
  }

  static List<String> fileshare(int host, String... args) {
    List<String> command =
        new ArrayList<>(List.of("ip", "netns", "exec", lab + "-h" + host, java()));
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    if (Runtime.version().feature() >= 24) {
      command.addAll(
          List.of("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
    }
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("LC_ALL", "C.UTF-8");
    // TLS by default, as users run it; keys and pins stay in the test's tree.
    builder.environment().put("XDG_STATE_HOME", work.resolve("state").toString());
    builder.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
    return builder;
  }

  /** Runs a command to its end, or kills it after the timeout and fails with what it printed. */
  static Run run(List<String> command, Duration timeout) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process process =
        builder(command)
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Run run =
        new Run(
            done ? process.exitValue() : -1,
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8),
            String.join(" ", command));
    if (!done) {
      throw new AssertionError("still running after " + timeout + ", killed: " + run.describe());
    }
    return run;
  }

  static File nullDevice() {
    return new File("/dev/null");
  }

  static Server startServer(String name, int host) throws IOException {
    Path dir = Files.createDirectories(work.resolve("share-h" + host));
    Path log = work.resolve("server-h" + host + ".log");
    List<String> command =
        fileshare(
            host,
            "server",
            "--dir",
            dir.toString(),
            "--port",
            "30001",
            "--discovery-port",
            "30000",
            "--name",
            name);
    Process process =
        builder(command)
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new Server(name, host, dir, log, process);
  }

  static void awaitReady(Server server) {
    await("server \"" + server.name() + "\" on host " + server.host() + " to start")
        .atMost(SERVER_START)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              String output = server.output();
              if (output.contains("Press Ctrl-C to stop.")) {
                return true;
              }
              if (!server.process().isAlive()) {
                throw new AssertionError(
                    "server \""
                        + server.name()
                        + "\" exited with "
                        + server.process().exitValue()
                        + " before it was ready:\n"
                        + output);
              }
              return false;
            });
    assertThat(server.output())
        .as(server.output())
        .contains("file sharing on TCP 0.0.0.0:30001")
        .contains("service discovery on UDP 0.0.0.0:30000");
  }

  /** SIGTERM (the server's Ctrl-C), then SIGKILL if it does not stop within 15 s. */
  static void stop(Server server) throws InterruptedException {
    if (server == null) {
      return;
    }
    server.process().destroy();
    if (!server.process().waitFor(15, TimeUnit.SECONDS)) {
      server.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "server \"" + server.name() + "\" ignored SIGTERM for 15 s:\n" + server.output());
    }
  }

  /** When the JVM is stopped before @AfterAll ran (Ctrl-C on the build, a timeout): clean up. */
  static void emergencyTeardown() {
    for (Server server : new Server[] {alpha, beta}) {
      if (server != null) {
        server.process().destroyForcibly();
      }
    }
    if (lab != null) {
      try {
        new ProcessBuilder("bash", netlab.toString(), "down", lab)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(20, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        // nothing more can be done here; the next run reaps the lab
      }
    }
  }

  static String sha256(Path path) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
