package dev.fileshare.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
