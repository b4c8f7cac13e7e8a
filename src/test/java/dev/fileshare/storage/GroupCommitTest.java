package dev.fileshare.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.FileSystemSync.Outcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files committed in groups each end published and intact, or failed alone and gone. */
class GroupCommitTest {
  @TempDir Path tmp;
  private SharedDirectory shared;

  @BeforeEach
  void openShared() {
    shared = SharedDirectory.open(tmp.resolve("shared"));
  }

  @Test
  void manyFilesCommittedTogetherAreAllPublishedIntact() throws IOException {
    List<CompletableFuture<Path>> done = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      done.add(write("file-" + i, "content " + i).commitAsync(sha256("content " + i), -1, mode()));
    }

    for (int i = 0; i < 600; i++) {
      Path path = done.get(i).join();
      assertThat(Files.readString(path)).isEqualTo("content " + i);
    }
    assertThat(entries()).hasSize(600).noneMatch(n -> n.startsWith(".fileshare-"));
  }

  @Test
  void aFailureInAGroupFailsOnlyThatFile() throws IOException {
    Files.writeString(shared.root().resolve("taken"), "mine");
    CompletableFuture<Path> good1 = write("good1", "a").commitAsync(sha256("a"), -1, mode());
    CompletableFuture<Path> corrupt = write("corrupt", "b").commitAsync(sha256("x"), -1, mode());
    CompletableFuture<Path> clash =
        write("taken", "c").commitAsync(sha256("c"), -1, WriteMode.NO_CLOBBER);
    CompletableFuture<Path> good2 = write("good2", "d").commitAsync(sha256("d"), -1, mode());

    assertThat(good1.join()).hasFileName("good1");
    assertThat(good2.join()).hasFileName("good2");
    assertFailsWith(corrupt, ErrorCode.DIGEST_MISMATCH);
    assertFailsWith(clash, ErrorCode.ALREADY_EXISTS);
    assertThat(Files.readString(shared.root().resolve("taken"))).isEqualTo("mine");
    assertThat(entries()).containsExactly("good1", "good2", "taken");
  }

  @Test
  void theLastOfTwoCommitsOfOneNameWins() throws IOException {
    CompletableFuture<Path> first = write("same", "first").commitAsync(sha256("first"), -1, mode());
    CompletableFuture<Path> second =
        write("same", "second").commitAsync(sha256("second"), -1, mode());
    first.join();
    second.join();
    assertThat(Files.readString(shared.root().resolve("same"))).isEqualTo("second");
    assertThat(entries()).containsExactly("same");
  }

  @Test
  void aFileDiscardedWhileWaitingIsNeverPublished() throws IOException {
    PendingFile file = write("late", "data");
    file.verify(sha256("data"));
    file.abort();

    assertThatThrownBy(() -> file.publish(-1, mode()))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_ERROR))
        .hasMessageContaining("discarded");
    assertThat(entries()).isEmpty();
  }

  @Test
  void noWritesAfterVerification() {
    PendingFile file = write("done", "data");
    file.commitAsync(sha256("data"), -1, mode()).join();
    assertThatThrownBy(() -> file.write(ByteBuffer.wrap(new byte[1])))
        .isInstanceOf(IllegalStateException.class);
  }

  /**
   * The kernel reports a lost write-back once to each descriptor: a syncfs that was told of it may
   * have consumed it for a file still arriving, which a later syncfs would then call safe. So after
   * such a report every file open at the time is flushed on its own descriptor, which still knows.
   */
  @Test
  void afterASyncfsReportsAnErrorTheFilesOpenAtTheTimeAreFlushedOnTheirOwn() throws Exception {
    Deque<FileSystemSync.Outcome> outcomes = new ArrayDeque<>(List.of(Outcome.FAILED));
    List<Path> synced = new CopyOnWriteArrayList<>();
    GroupCommitter committer =
        new GroupCommitter(
            256,
            StorageThreads.FLUSHERS,
            directory -> {
              synced.add(directory);
              return outcomes.isEmpty() ? Outcome.SYNCED : outcomes.poll();
            });
    // Still arriving when the first round's syncfs reports the error; its data was what failed.
    FaultyChannel lostData = new FaultyChannel(temp("early")).failingFlushes();
    PendingFile early = pending("early", "lost", lostData);

    List<CompletableFuture<Path>> first = new ArrayList<>();
    oneRound(
        committer,
        () -> {
          for (int i = 0; i < 4; i++) {
            first.add(submit(committer, pending("first-" + i, "f" + i, null), "f" + i));
          }
        });
    first.forEach(CompletableFuture::join); // flushed one by one, each on its own descriptor

    List<CompletableFuture<Path>> later = new ArrayList<>();
    CompletableFuture<Path>[] earlyDone = new CompletableFuture[1];
    oneRound(
        committer,
        () -> {
          earlyDone[0] = submit(committer, early, "lost");
          for (int i = 0; i < 3; i++) {
            later.add(submit(committer, pending("later-" + i, "l" + i, null), "l" + i));
          }
        });

    later.forEach(CompletableFuture::join);
    assertFailsWith(earlyDone[0], ErrorCode.STORAGE_ERROR);
    assertThat(synced).hasSize(2); // both rounds of four went by syncfs, the second without error
    assertThat(entries())
        .contains("first-0", "later-2", "blocker-0", "blocker-1")
        .doesNotContain("early")
        .noneMatch(n -> n.startsWith(".fileshare-"));
  }

  /**
   * No thread for the rounds (a pool refusing work, or out of native threads): that commit fails,
   * and the next works.
   */
  @Test
  void aCommitterThatCannotStartItsRoundsFailsThoseFilesAndRecovers() throws IOException {
    AtomicInteger starts = new AtomicInteger();
    GroupCommitter committer =
        new GroupCommitter(
            256,
            task -> {
              if (starts.getAndIncrement() == 0) {
                throw new RejectedExecutionException("no thread for the rounds");
              }
              StorageThreads.FLUSHERS.execute(task);
            },
            FileSystemSync::sync);

    CompletableFuture<Path> first = submit(committer, pending("first", "a", null), "a");
    CompletableFuture<Path> second = submit(committer, pending("second", "b", null), "b");

    assertFailsWith(first, ErrorCode.STORAGE_ERROR);
    assertThat(second.orTimeout(10, TimeUnit.SECONDS).join()).hasFileName("second");
    assertThat(entries()).containsExactly("second");
  }

  private int blockers;

  /**
   * Runs {@code submits} while the committer is held by a round of one file whose flush waits, so
   * that what they submit makes the next round, whole.
   */
  private void oneRound(GroupCommitter committer, Runnable submits) throws Exception {
    String name = "blocker-" + blockers++;
    FaultyChannel held = new FaultyChannel(temp(name)).holdingFlushes();
    CompletableFuture<Path> blocker = submit(committer, pending(name, "b", held), "b");
    held.awaitFlush();
    submits.run();
    held.release();
    blocker.join();
  }

  private FileChannel temp(String name) throws IOException {
    return FileChannel.open(
        shared.root().resolve(".fileshare-tmp-" + name),
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  private PendingFile pending(String name, String content, FaultyChannel channel) {
    try {
      PendingFile file =
          new PendingFile(
              name,
              shared.root().resolve(name),
              shared.root().resolve(".fileshare-tmp-" + name),
              channel != null ? channel : temp(name),
              DigestAlgorithm.SHA_256,
              f -> {});
      file.write(ByteBuffer.wrap(content.getBytes(UTF_8)));
      return file;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<Path> submit(
      GroupCommitter committer, PendingFile file, String content) {
    file.verify(sha256(content));
    return committer.submit(file, -1, mode());
  }

  private PendingFile write(String name, String content) {
    PendingFile file = shared.create(name);
    file.write(ByteBuffer.wrap(content.getBytes(UTF_8)));
    return file;
  }

  private static WriteMode mode() {
    return WriteMode.REPLACE;
  }

  private static void assertFailsWith(CompletableFuture<Path> future, ErrorCode code) {
    assertThatThrownBy(future::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> list = Files.list(shared.root())) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
