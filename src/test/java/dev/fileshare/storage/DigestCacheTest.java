package dev.fileshare.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.common.DigestAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remembered digest is offered only for the very file state it was computed from. */
class DigestCacheTest {
  @TempDir Path tmp;
  private SharedDirectory shared;
  private Path file;

  @BeforeEach
  void share() throws IOException {
    shared = SharedDirectory.open(tmp.resolve("shared"));
    file = shared.root().resolve("a.txt");
    Files.writeString(file, "hello");
    settle();
  }

  @Test
  void unknownUntilRememberedThenKnownForTheUnchangedFile() {
    assertThat(knownDigest()).isNull();
    remember(sha256("hello"));
    assertThat(knownDigest()).isEqualTo(sha256("hello"));
  }

  @Test
  void forgottenWhenTheContentChangesEvenIfSizeAndTimeAreRestored() throws IOException {
    FileTime time = Files.getLastModifiedTime(file);
    remember(sha256("hello"));

    Files.writeString(file, "jello", StandardOpenOption.TRUNCATE_EXISTING);
    Files.setLastModifiedTime(file, time); // same size, same mtime: only ctime tells
    settle();

    assertThat(knownDigest()).isNull();
  }

  @Test
  void forgottenWhenReplacedByAnotherFile() throws IOException {
    remember(sha256("hello"));
    Path other = shared.root().resolve("other");
    Files.writeString(other, "hello");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
    Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    settle();

    assertThat(knownDigest()).isNull();
  }

  @Test
  void notRememberedIfTheFileChangedWhileBeingHashed() throws IOException {
    try (ReadableFile read = shared.openForRead("a.txt")) {
      read.findVersion(); // as the server does, on its storage thread, before sending
      Files.writeString(file, "hello, world", StandardOpenOption.APPEND);
      read.rememberDigest(DigestAlgorithm.SHA_256, sha256("hello"));
    }
    assertThat(knownDigest()).isNull();
  }

  @Test
  void aFileReplacedBeforeItsVersionIsLookedUpIsHashedAgain() throws IOException {
    remember(sha256("hello"));
    try (ReadableFile read = shared.openForRead("a.txt")) {
      // Same content, size and time, another inode: the path no longer names what was opened.
      Path other = shared.root().resolve("other");
      Files.writeString(other, "hello");
      Files.setLastModifiedTime(other, Files.getLastModifiedTime(file));
      Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      settle();

      read.findVersion();
      assertThat(read.knownDigest(DigestAlgorithm.SHA_256)).isNull();
      read.rememberDigest(DigestAlgorithm.SHA_256, sha256("hello"));
    }
    assertThat(knownDigest()).isNull();
  }

  @Test
  void notRememberedUnlessTheVersionWasFoundBeforeTheHashing() throws IOException {
    try (ReadableFile read = shared.openForRead("a.txt")) {
      // A version looked up only now could not tell whether the file changed while being hashed.
      read.rememberDigest(DigestAlgorithm.SHA_256, sha256("hello"));
    }
    assertThat(knownDigest()).isNull();

    try (ReadableFile read = shared.openForRead("a.txt")) {
      byte[] computed = read.computeDigest(DigestAlgorithm.SHA_256);
      read.rememberDigest(DigestAlgorithm.SHA_256, computed);
    }
    assertThat(knownDigest()).isEqualTo(sha256("hello"));
  }

  @Test
  void notRememberedWhileTheFileIsFreshlyChanged() throws IOException {
    // A second write within the same clock tick would leave every time as it is.
    Files.writeString(file, "howdy");
    remember(sha256("howdy"));
    assertThat(knownDigest()).isNull();
  }

  @Test
  void aDigestIsOfferedOnlyForTheAlgorithmItWasComputedWith() {
    remember(sha256("hello"));
    try (ReadableFile read = shared.openForRead("a.txt")) {
      assertThat(read.knownDigest(DigestAlgorithm.XXH3_128)).isNull();
      read.rememberDigest(DigestAlgorithm.XXH3_128, new byte[16]);
      assertThat(read.knownDigest(DigestAlgorithm.XXH3_128)).isEqualTo(new byte[16]);
    }
    assertThat(knownDigest()).isEqualTo(sha256("hello"));
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondCapacity() {
    DigestCache cache = new DigestCache(2);
    FileVersion a = new FileVersion("a", 1, 1, 1);
    FileVersion b = new FileVersion("b", 1, 1, 1);
    FileVersion c = new FileVersion("c", 1, 1, 1);
    cache.put(a, DigestAlgorithm.SHA_256, new byte[] {1});
    cache.put(b, DigestAlgorithm.SHA_256, new byte[] {2});
    cache.get(a, DigestAlgorithm.SHA_256);
    cache.put(c, DigestAlgorithm.SHA_256, new byte[] {3});

    assertThat(cache.get(a, DigestAlgorithm.SHA_256)).containsExactly(1);
    assertThat(cache.get(b, DigestAlgorithm.SHA_256)).isNull();
    assertThat(cache.get(c, DigestAlgorithm.SHA_256)).containsExactly(3);
    assertThat(cache.size()).isEqualTo(2);
  }

  /** Lets the file's times fall behind the clock by more than the kernel's tick. */
  private static void settle() {
    try {
      Thread.sleep(FileVersion.RACY_MARGIN_MILLIS * 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private byte[] knownDigest() {
    try (ReadableFile read = shared.openForRead("a.txt")) {
      return read.knownDigest(DigestAlgorithm.SHA_256);
    }
  }

  private void remember(byte[] digest) {
    try (ReadableFile read = shared.openForRead("a.txt")) {
      read.findVersion();
      read.rememberDigest(DigestAlgorithm.SHA_256, digest);
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
