package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferListener;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once, each independent; concurrent writers of one name never mix. */
class ConcurrencyIT {
  private static final int CLIENTS = 120;

  @TempDir Path serverDir;
  @TempDir Path work;
  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(serverDir);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void moreThanAHundredClientsRoundTripTheirOwnFilesAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    CountDownLatch allConnected = new CountDownLatch(CLIENTS);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int id = i;
        results.add(pool.submit(() -> oneClient(id, allConnected)));
      }
      for (Future<String> result : results) {
        assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo("ok");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(TestFiles.entries(serverDir)).hasSize(CLIENTS);
  }

  private String oneClient(int id, CountDownLatch allConnected) throws Exception {
    Path mine = Files.createDirectories(work.resolve("client-" + id));
    Path source = TestFiles.random(mine, "file-" + id + ".bin", 32 * 1024 + id * 997, id);
    try (FileshareClient client = server.connect()) {
      // Every client holds its connection open before any transfers: truly concurrent sessions.
      allConnected.countDown();
      assertThat(allConnected.await(60, TimeUnit.SECONDS)).isTrue();
      client.put(source, TransferListener.NONE);
      Path back = Files.createDirectories(mine.resolve("back"));
      client.get(
          source.getFileName().toString(),
          SharedDirectory.open(back, false),
          WriteMode.NO_CLOBBER,
          TransferListener.NONE);
      assertThat(TestFiles.sha256(back.resolve(source.getFileName())))
          .isEqualTo(TestFiles.sha256(source));
      client.bye();
    }
    return "ok";
  }

  @Test
  void concurrentPutsOfOneNameEndWithOneWholeVersion() throws Exception {
    int writers = 8;
    List<Path> versions = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      Path dir = Files.createDirectories(work.resolve("writer-" + i));
      versions.add(TestFiles.random(dir, "contested.bin", 3 * 1024 * 1024, 100 + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Path version : versions) {
        done.add(
            pool.submit(
                () -> {
                  try (FileshareClient client = server.connect()) {
                    client.put(version, TransferListener.NONE);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> candidates = Set.copyOf(versions.stream().map(TestFiles::sha256).toList());
    assertThat(TestFiles.entries(serverDir)).containsExactly("contested.bin");
    assertThat(candidates).contains(TestFiles.sha256(serverDir.resolve("contested.bin")));
  }

  @Test
  void aStalledUploadDoesNotStallOtherClients() throws IOException {
    try (RawConnection stalled = RawConnection.welcomed(server.port())) {
      stalled.send(new dev.fileshare.protocol.Message.PutRequest("stalled.bin", 100_000_000, -1));
      stalled.writeRaw(new byte[10_000_000]);
      // The stalled client now sends nothing more; others must be served as usual.
      Path source = TestFiles.random(work, "other.bin", 1 << 20, 9);
      try (FileshareClient other = server.connect()) {
        other.put(source, TransferListener.NONE);
        assertThat(other.list()).extracting(f -> f.name()).containsExactly("other.bin");
      }
    }
  }
}
