package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fileshare.protocol.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server and client as separate processes, stopped and killed the ways real processes are:
 * SIGTERM and SIGKILL mid-upload, a client killed mid-upload, an immediate restart on the same
 * ports. Nothing partial may ever be visible; earlier files stay intact.
 */
class ServerProcessIT {
  private static final Path JAR = Path.of("target", "fileshare.jar").toAbsolutePath();

  @TempDir Path shared;
  @TempDir Path work;
  int port;
  int discoveryPort;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void pickPortsAndSeed() throws IOException {
    try (ServerSocket tcp = new ServerSocket(0);
        DatagramSocket udp = new DatagramSocket(0)) {
      port = tcp.getLocalPort();
      discoveryPort = udp.getLocalPort();
    }
    Files.writeString(shared.resolve("earlier.txt"), "an earlier file");
  }

  @AfterEach
  void killEverything() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void sigtermMidUploadStopsPromptlyAndLeavesNothingPartial() throws Exception {
    ServerProcess server = startServer();
    try (RawConnection upload = RawConnection.welcomed(port)) {
      upload.send(new Message.PutRequest("partial.bin", 500_000_000L, -1));
      upload.writeRaw(new byte[8_000_000]);
      awaitTemporaryFile();

      long start = System.nanoTime();
      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      server.process.toHandle().destroy();
      assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).as(server.output()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
    assertThat(server.output()).contains("stopping").contains("stopped");
    // Its log lines start with the time of day (cli.RuntimeDefaults).
    assertThat(server.output())
        .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d INFO ");
    assertThat(server.process.exitValue()).as("exit status of a requested stop").isZero();
    assertThat(TestFiles.entries(shared)).containsExactly("earlier.txt");

    // Address reuse: the same ports bind again at once.
    ServerProcess again = startServer();
    assertThat(again.output()).contains("file sharing on TCP").contains(":" + port);
    assertListable();
  }

  @Test
  void sigkillMidUploadThenAnImmediateRestartCleansTheLeftover() throws Exception {
    ServerProcess server = startServer();
    try (RawConnection upload = RawConnection.welcomed(port)) {
      upload.send(new Message.PutRequest("earlier.txt", 500_000_000L, -1));
      upload.writeRaw(new byte[8_000_000]);
      awaitTemporaryFile();
      server.process.toHandle().destroyForcibly(); // SIGKILL: no chance to clean up
      assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(TestFiles.entries(shared)).anyMatch(n -> n.startsWith(".fileshare-tmp-"));

    ServerProcess restarted = startServer();
    assertThat(restarted.output()).contains("removed 1 unfinished uploads");
    assertThat(TestFiles.entries(shared)).containsExactly("earlier.txt");
    assertThat(Files.readString(shared.resolve("earlier.txt"))).isEqualTo("an earlier file");
    assertListable();
  }

  @Test
  void aClientProcessKilledMidUploadLeavesNothingVisible() throws Exception {
    startServer();
    Path big = TestFiles.sparse(work, "earlier.txt", 3L << 30);
    Process client = start("put", "--plain", "127.0.0.1:" + port, big.toString());
    awaitTemporaryFile();
    client.destroyForcibly();
    assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(TestFiles.entries(shared)).containsExactly("earlier.txt"));
    assertThat(Files.readString(shared.resolve("earlier.txt"))).isEqualTo("an earlier file");
    assertListable();
  }

  /**
   * The jar carries only the BouncyCastle classes our code reaches (the build's minimizeJar): a
   * server started from it must still make its key and certificate, and a client check it.
   */
  @Test
  void theJarMakesATlsIdentityAndServesThroughIt() throws Exception {
    ServerProcess server = startServer(false);
    assertThat(server.output()).contains("created a TLS key and certificate");
    Process list = start("list", "127.0.0.1:" + port);
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(list.exitValue()).as(out).isZero();
    assertThat(out).contains("earlier.txt").contains("pinned");
  }

  private void awaitTemporaryFile() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> TestFiles.entries(shared).stream().anyMatch(n -> n.startsWith(".fileshare-")));
  }

  private void assertListable() throws Exception {
    Process list = start("list", "--plain", "127.0.0.1:" + port);
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(list.exitValue()).as(out).isZero();
    assertThat(out).contains("earlier.txt");
  }

  private ServerProcess startServer() throws Exception {
    // Plain: the test's raw connections speak frames directly.
    return startServer(true);
  }

  private ServerProcess startServer(boolean plain) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--dir",
                shared.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--discovery-port",
                String.valueOf(discoveryPort),
                "--name",
                "process test"));
    if (plain) {
      args.add("--plain");
    }
    Process p = start(args.toArray(String[]::new));
    ServerProcess server = new ServerProcess(p);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> server.output().contains("Press Ctrl-C to stop.") || !p.isAlive());
    assertThat(p.isAlive()).as(server.output()).isTrue();
    return server;
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LC_ALL", "C.UTF-8");
    // Nothing of the test lands in the real home directory.
    builder.environment().put("XDG_STATE_HOME", work.resolve("state").toString());
    builder.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /** A server process whose output is collected as it comes. */
  static final class ServerProcess {
    final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    ServerProcess(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  lines.add("(output lost: " + e + ")");
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    String output() {
      return String.join("\n", lines);
    }
  }
}
