package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.client.TransferResult;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerLimits;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many connections held open while many clients put, get and list without pause: not one operation
 * fails, not one digest differs, and afterwards the server's file descriptors are back where they
 * were. The short version runs in {@code mvn verify}; a longer one on demand: {@code mvn verify
 * -Dit.test=SoakIT -Dsoak.seconds=60 -Dsoak.held=1000 -Dsoak.clients=50}.
 */
class SoakIT {
  private static final int SECONDS = Integer.getInteger("soak.seconds", 8);
  private static final int HELD = Integer.getInteger("soak.held", 1000);
  private static final int CLIENTS = Integer.getInteger("soak.clients", 50);

  @TempDir Path serverDir;
  @TempDir Path work;

  @Test
  void heldConnectionsAndBusyClientsTogether() throws Exception {
    ServerLimits limits =
        new ServerLimits(
            Duration.ofSeconds(30),
            Duration.ofMinutes(10),
            HELD + CLIENTS + 64,
            HELD + CLIENTS + 64);
    try (FileshareServer server =
        FileshareServer.start(TestServer.config(serverDir, "soak").withLimits(limits))) {
      for (int i = 0; i < 20; i++) {
        TestFiles.random(serverDir, "shared-" + i + ".bin", (64 << 10) * (1 + i % 3), i);
      }
      long baselineFds = openFileDescriptors();
      long baselineHeap = usedHeapAfterGc();

      List<RawConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < HELD; i++) {
          held.add(RawConnection.welcomed(server.port()));
        }
        Outcome outcome = busyClients(server.port());
        assertThat(outcome.failures()).as(outcome.firstFailure()).isZero();
        assertThat(outcome.operations()).isGreaterThan(CLIENTS);
        // Every held connection is still there and answers.
        for (RawConnection c : held.subList(0, 10)) {
          c.send(new dev.fileshare.protocol.Message.ListRequest());
          assertThat(c.receive()).isNotNull();
        }
      } finally {
        for (RawConnection c : held) {
          c.close();
        }
        held.clear(); // their buffers are the test's, not the server's
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(openFileDescriptors()).isLessThanOrEqualTo(baselineFds + 16));
      assertThat(TestFiles.entries(serverDir)).noneMatch(n -> n.startsWith(".fileshare-"));
      // Nothing per connection or per transfer is kept (tolerance for caches and JIT growth).
      assertThat(usedHeapAfterGc()).isLessThan(baselineHeap + (64 << 20));
    }
  }

  private static long usedHeapAfterGc() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private record Outcome(int operations, int failures, String firstFailure) {}

  private Outcome busyClients(int port) throws Exception {
    AtomicInteger operations = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    StringBuilder first = new StringBuilder();
    long deadline = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int id = c;
      running.add(
          pool.submit(
              () -> {
                Path mine = Files.createDirectories(work.resolve("client-" + id));
                try (FileshareClient client = FileshareClient.connect("127.0.0.1", port)) {
                  for (int round = 0; System.nanoTime() < deadline; round++) {
                    try {
                      operate(client, mine, id, round);
                      operations.addAndGet(3);
                    } catch (RuntimeException | AssertionError | IOException e) {
                      if (failures.getAndIncrement() == 0) {
                        synchronized (first) {
                          first.append(e);
                        }
                      }
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    return new Outcome(operations.get(), failures.get(), first.toString());
  }

  /** One put, one get of what another client put, one list; every byte checked. */
  private void operate(FileshareClient client, Path mine, int id, int round) throws IOException {
    String name = "c" + id + "-r" + (round % 4) + ".bin";
    Path source = TestFiles.random(mine, name, 1024 * (1 + (id + round) % 200), id * 1000L + round);
    TransferResult up = client.put(source, TransferListener.NONE);
    assertThat(up.digestHex()).isEqualTo(TestFiles.digest(source, up.digestAlgorithm()));

    Path into = Files.createDirectories(mine.resolve("got-" + round));
    String other = "shared-" + (round % 20) + ".bin";
    TransferResult down =
        client.get(
            other, SharedDirectory.open(into, false), WriteMode.REPLACE, TransferListener.NONE);
    assertThat(TestFiles.digest(into.resolve(other), down.digestAlgorithm()))
        .isEqualTo(down.digestHex());
    assertThat(client.list()).isNotEmpty();
    deleteTree(into);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
