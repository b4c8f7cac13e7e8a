package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.client.BatchListener;
import dev.fileshare.client.FileshareClient;
import dev.fileshare.client.TransferResult;
import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.SharedDirectory;
import dev.fileshare.storage.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many files over one connection, pipelined: every file arrives intact, failures stay with their
 * own file and are reported in order, and answers never overtake each other.
 */
class BatchIT {
  @TempDir Path serverDir;
  @TempDir Path clientDir;
  @TempDir Path sourceDir;

  TestServer server;
  FileshareClient client;
  final List<FileshareException> failures = new ArrayList<>();
  final List<String> finished = new ArrayList<>();
  final BatchListener listener =
      new BatchListener() {
        @Override
        public void finished(TransferResult result) {
          finished.add(result.name());
        }

        @Override
        public void failed(FileshareException error) {
          failures.add(error);
        }
      };

  @BeforeEach
  void start() {
    server = TestServer.start(serverDir);
    client = server.connect();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void manyFilesUploadPipelinedWithFailuresInPlace() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      sources.add(TestFiles.random(sourceDir, String.format("small-%03d", i), i * 37, i));
      if (i == 100) {
        sources.add(sourceDir.resolve("missing-locally"));
      }
      if (i == 200) {
        sources.add(TestFiles.random(sourceDir, "large-1", 3 << 20, 1000));
      }
    }
    sources.add(TestFiles.random(sourceDir, "large-2", (5 << 20) + 3, 1001));

    List<TransferResult> done = client.putAll(sources, listener);

    assertThat(done).hasSize(sources.size() - 1);
    assertThat(failures)
        .singleElement()
        .satisfies(e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    for (Path source : sources) {
      if (Files.exists(source)) {
        Path stored = serverDir.resolve(source.getFileName());
        assertThat(TestFiles.sha256(stored)).isEqualTo(TestFiles.sha256(source));
      }
    }
    assertThat(finished)
        .containsExactlyElementsOf(done.stream().map(TransferResult::name).toList());
    // The next command on the connection sees every upload.
    assertThat(client.list()).hasSize(sources.size() - 1);
    assertThat(TestFiles.entries(serverDir)).noneMatch(n -> n.startsWith(".fileshare-"));
  }

  @Test
  void manyFilesDownloadPipelinedWithFailuresInPlace() throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String name = String.format("file-%03d", i);
      TestFiles.random(serverDir, name, i * 53, i);
      names.add(name);
    }
    TestFiles.random(serverDir, "big", 4 << 20, 7);
    names.add(150, "big");
    names.add(100, "not-on-server");
    names.add(300, "../escape");
    Files.writeString(clientDir.resolve("file-005"), "mine");
    SharedDirectory local = SharedDirectory.open(clientDir, false);

    List<TransferResult> done = client.getAll(names, local, WriteMode.NO_CLOBBER, listener);

    assertThat(done).hasSize(names.size() - 3);
    assertThat(failures)
        .extracting(FileshareException::code)
        .containsExactly(ErrorCode.ALREADY_EXISTS, ErrorCode.NOT_FOUND, ErrorCode.INVALID_NAME);
    assertThat(Files.readString(clientDir.resolve("file-005"))).isEqualTo("mine");
    for (TransferResult result : done) {
      assertThat(result.digestAlgorithm()).isEqualTo(DigestAlgorithm.XXH3_128);
      assertThat(TestFiles.digest(clientDir.resolve(result.name()), DigestAlgorithm.XXH3_128))
          .isEqualTo(TestFiles.digest(serverDir.resolve(result.name()), DigestAlgorithm.XXH3_128))
          .isEqualTo(result.digestHex());
    }
    assertThat(TestFiles.entries(clientDir)).noneMatch(n -> n.startsWith(".fileshare-"));
    assertThat(client.list()).extracting(FileInfo::name).contains("big");
  }

  @Test
  void pipelinedAnswersComeInRequestOrder() throws Exception {
    try (RawConnection raw = RawConnection.welcomed(server.port())) {
      byte[] a = "first".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] b = "second".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      putRaw(raw, "a.txt", a);
      putRaw(raw, "bad/name", b);
      putRaw(raw, "b.txt", b);
      raw.send(new Message.GetRequest("a.txt"));
      raw.send(new Message.ListRequest());

      assertThat(raw.receive()).isEqualTo(new Message.Stored("a.txt", a.length));
      assertThat(raw.receive())
          .isInstanceOfSatisfying(
              Message.ErrorReply.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NAME));
      assertThat(raw.receive()).isEqualTo(new Message.Stored("b.txt", b.length));
      assertThat(raw.receive()).isInstanceOf(Message.FileHeader.class);
      assertThat(raw.readData(a.length)).isEqualTo(a);
      assertThat(raw.receive()).isInstanceOf(Message.Digest.class);
      assertThat(raw.receive())
          .isInstanceOfSatisfying(
              Message.ListEntries.class,
              page ->
                  assertThat(page.entries())
                      .extracting(FileInfo::name)
                      .containsExactly("a.txt", "b.txt"));
    }
  }

  /** Every file's outcome is reported in request order, whether it failed here or there. */
  @Test
  void outcomesAreReportedInRequestOrder() throws IOException {
    List<String> events = new ArrayList<>();
    BatchListener recorder =
        new BatchListener() {
          @Override
          public void finished(TransferResult result) {
            events.add("ok " + result.name());
          }

          @Override
          public void failed(FileshareException error) {
            events.add("failed " + error.code());
          }
        };
    List<String> names = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String name = "file-" + i;
      TestFiles.random(serverDir, name, 3000 + i, i);
      names.add(name);
      expected.add("ok " + name);
    }
    Files.writeString(clientDir.resolve("file-30"), "mine");
    names.set(10, "missing-on-server");
    expected.set(10, "failed NOT_FOUND");
    names.set(20, "../escape");
    expected.set(20, "failed INVALID_NAME");
    expected.set(30, "failed ALREADY_EXISTS");

    client.getAll(names, SharedDirectory.open(clientDir, false), WriteMode.NO_CLOBBER, recorder);

    assertThat(events).containsExactlyElementsOf(expected);

    events.clear();
    List<Path> sources = new ArrayList<>();
    expected.clear();
    for (int i = 0; i < 40; i++) {
      Path source = TestFiles.random(sourceDir, "up-" + i, 2000 + i, i);
      sources.add(source);
      expected.add("ok up-" + i);
    }
    sources.set(25, sourceDir.resolve("not-here"));
    expected.set(25, "failed NOT_FOUND");

    client.putAll(sources, recorder);

    assertThat(events).containsExactlyElementsOf(expected);
  }

  /**
   * The server serves pipelined GETs of small files in batches (one trip to its storage thread for
   * many): every answer must still be the right one, in order, with errors and large files (which
   * end a batch) in their places, and batches cut by their byte budget.
   */
  @Test
  void pipelinedGetsInOneWriteAreAnsweredInOrder() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      names.add("small-" + i);
      TestFiles.random(serverDir, "small-" + i, i * 997 % 60_000, i);
    }
    TestFiles.random(serverDir, "large-a", 100_000, 1);
    TestFiles.random(serverDir, "large-b", 1 << 20, 2);
    Files.createDirectory(serverDir.resolve("a-directory"));
    names.add(3, "large-a");
    names.add(4, "missing");
    names.add(5, "large-b");
    names.add(20, "a-directory");
    names.add(21, "missing-too");
    names.add(names.size() - 1, "large-a");
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    for (String name : names) {
      requests.write(RawConnection.frame(new Message.GetRequest(name)));
    }
    requests.write(RawConnection.frame(new Message.ListRequest()));

    try (RawConnection raw = RawConnection.welcomed(server.port())) {
      raw.writeRaw(requests.toByteArray());

      for (String name : names) {
        Message answer = raw.receive();
        if (name.startsWith("missing") || name.equals("a-directory")) {
          assertThat(answer).as(name).isInstanceOf(Message.ErrorReply.class);
          continue;
        }
        byte[] expected = Files.readAllBytes(serverDir.resolve(name));
        assertThat(answer)
            .as(name)
            .isInstanceOfSatisfying(
                Message.FileHeader.class, h -> assertThat(h.size()).isEqualTo(expected.length));
        assertThat(raw.readData(expected.length)).as(name).isEqualTo(expected);
        assertThat(raw.receive()).as(name).isEqualTo(RawConnection.digestOf(expected));
      }
      assertThat(raw.receive()).isInstanceOf(Message.ListEntries.class);
    }
  }

  @Test
  void pipelinedUploadsOfOneNameBehindAnotherRequestEndWithTheLastVersion() throws Exception {
    byte[] first = "first version".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] second = "second version".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int attempt = 0; attempt < 20; attempt++) {
      try (RawConnection raw = RawConnection.welcomed(server.port())) {
        // One write: both uploads wait behind the LIST, then run back to back.
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.write(RawConnection.frame(new Message.ListRequest()));
        all.write(putFrames("same.txt", first));
        all.write(putFrames("same.txt", second));
        raw.writeRaw(all.toByteArray());
        Message reply;
        while (!((reply = raw.receive()) instanceof Message.ListEnd)) {
          assertThat(reply).isInstanceOf(Message.ListEntries.class);
        }
        assertThat(raw.receive()).isEqualTo(new Message.Stored("same.txt", first.length));
        assertThat(raw.receive()).isEqualTo(new Message.Stored("same.txt", second.length));
      }
      assertThat(Files.readString(serverDir.resolve("same.txt"))).isEqualTo("second version");
    }
  }

  private static byte[] putFrames(String name, byte[] data) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(RawConnection.frame(new Message.PutRequest(name, data.length, -1)));
    out.write(data);
    out.write(RawConnection.frame(RawConnection.digestOf(data)));
    return out.toByteArray();
  }

  private static void putRaw(RawConnection raw, String name, byte[] data) throws Exception {
    raw.send(new Message.PutRequest(name, data.length, -1));
    raw.writeRaw(data);
    raw.send(RawConnection.digestOf(data));
  }
}
