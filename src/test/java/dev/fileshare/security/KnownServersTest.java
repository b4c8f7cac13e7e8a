package dev.fileshare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @TempDir Path root;

  private Path file() {
    return root.resolve("config").resolve("fileshare").resolve("known_servers");
  }

  private KnownServers known() {
    return new KnownServers(file());
  }

  @Test
  void aMissingFileHasNoPinsAndForgettingCreatesNothing() {
    assertThat(known().lookup("alpha", 30001)).isEmpty();
    assertThat(known().forget("alpha", 30001)).isFalse();
    assertThat(root.resolve("config")).doesNotExist();
  }

  @Test
  void pinsAreFoundReplacedAndForgotten() throws Exception {
    KnownServers known = known();
    known.pin("Alpha", 30001, A.toUpperCase());
    assertThat(known.lookup("alpha", 30001)).contains(A);
    assertThat(known.lookup("alpha", 30002)).isEmpty();
    known.pin("alpha", 30001, B);
    assertThat(known.lookup("ALPHA", 30001)).contains(B);
    assertThat(Files.readAllLines(known.file()))
        .filteredOn(l -> !l.startsWith("#"))
        .containsExactly("alpha:30001 " + B);
    assertThat(known.forget("alpha", 30001)).isTrue();
    assertThat(known.forget("alpha", 30001)).isFalse();
    assertThat(known.lookup("alpha", 30001)).isEmpty();
  }

  @Test
  void aNewFileAndItsDirectoryAreMadeWithAnExplanation() throws Exception {
    known().pin("10.0.0.1", 30001, A);
    assertThat(Files.readString(file()))
        .startsWith("# fileshare: servers this client has seen")
        .isEqualTo(KnownServers.HEADER + "10.0.0.1:30001 " + A + "\n");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(Files.getPosixFilePermissions(file().getParent()))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void commentsAndLinesNotUnderstoodSurviveRewrites() throws Exception {
    Files.createDirectories(file().getParent());
    byte[] notUtf8 = {'h', (byte) 0xff, ':', '1', ' ', 'x'};
    String before =
        "# mine\n\nsome future line with three fields\nbeta:1 "
            + B
            + "\r\nbeta:2 not-a-fingerprint\n";
    Files.write(file(), concat(before.getBytes(StandardCharsets.UTF_8), notUtf8));
    KnownServers known = known();
    assertThat(known.lookup("beta", 1)).contains(B);
    known.pin("10.0.0.2", 30001, A);
    known.forget("beta", 1);
    byte[] expected =
        concat(
            "# mine\n\nsome future line with three fields\nbeta:2 not-a-fingerprint\n"
                .getBytes(StandardCharsets.UTF_8),
            notUtf8,
            ("\n10.0.0.2:30001 " + A + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(file()).hasBinaryContent(expected);
  }

  @Test
  void aReplacedPinKeepsItsPlace() throws Exception {
    KnownServers known = known();
    known.pin("one", 1, A);
    known.pin("two", 2, A);
    known.pin("one", 1, B);
    assertThat(Files.readAllLines(file()))
        .filteredOn(l -> !l.startsWith("#"))
        .containsExactly("one:1 " + B, "two:2 " + A);
  }

  @Test
  void ipv6LiteralsAreBracketed() {
    assertThat(KnownServers.key("::1", 30001)).isEqualTo("[::1]:30001");
    assertThat(KnownServers.key("[fe80::1]", 7)).isEqualTo("[fe80::1]:7");
    assertThat(KnownServers.key("FE80::A", 7)).isEqualTo("[fe80::a]:7");
    assertThat(KnownServers.key("Alpha.Local", 30001)).isEqualTo("alpha.local:30001");
    KnownServers known = known();
    known.pin("::1", 30001, A);
    assertThat(known.lookup("[::1]", 30001)).contains(A);
    assertThat(known.lookup("::1", 30002)).isEmpty();
  }

  @Test
  void aBadFingerprintIsRefused() {
    assertThatThrownBy(() -> known().pin("alpha", 1, "abc"))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
        .hasMessageContaining("not a SHA-256 fingerprint");
    assertThat(file()).doesNotExist();
  }

  @Test
  void anUnreadableFileIsALocalStateErrorNamingIt() throws Exception {
    Files.createDirectories(file());
    assertThatThrownBy(() -> known().lookup("alpha", 1))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCAL_STATE))
        .hasMessageStartingWith("cannot read the known servers file " + file() + ": ");
  }

  @Test
  void anUnwritableDirectoryIsALocalStateErrorNamingTheFile() throws Exception {
    Files.writeString(root.resolve("config"), "a file where the directory should be");
    assertThatThrownBy(() -> known().pin("alpha", 1, A))
        .isInstanceOfSatisfying(
            FileshareException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCAL_STATE))
        .hasMessageStartingWith("cannot update the known servers file " + file() + ": ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void threadsPinningAtOnceAllSurvive() throws Exception {
    KnownServers first = known();
    KnownServers second = known();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int port = 1000 + i;
        KnownServers instance = i % 2 == 0 ? first : second;
        done.add(pool.submit(() -> instance.pin("host", port, SecurityProbe.fingerprint(port))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int port = 1000; port < 1040; port++) {
      assertThat(known().lookup("host", port)).contains(SecurityProbe.fingerprint(port));
    }
  }

  @Test
  void processesPinningAtOnceAllSurvive() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (String prefix : List.of("p", "q", "r")) {
      processes.add(SecurityProbe.start(List.of(), "pin", file().toString(), prefix, "15"));
    }
    for (Process p : processes) {
      SecurityProbe.output(p);
    }
    for (String prefix : List.of("p", "q", "r")) {
      for (int i = 0; i < 15; i++) {
        assertThat(known().lookup(prefix + i, 30001)).contains(SecurityProbe.fingerprint(i));
      }
    }
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void pinIfAbsentKeepsAnEarlierPin() {
    KnownServers known = known();
    assertThat(known.pinIfAbsent("alpha", 30001, A)).isEmpty();
    assertThat(known.pinIfAbsent("alpha", 30001, B)).contains(A);
    assertThat(known.pinIfAbsent("alpha", 30001, A)).contains(A);
    assertThat(known.lookup("alpha", 30001)).contains(A);
  }
}
