package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code ./fileshare} launcher on every JDK of the machine: it makes its start-up cache once,
 * then runs with it, and a command behaves the same with the cache as without.
 */
class LauncherIT {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @TempDir Path work;

  record Result(int status, String out) {}

  static Stream<Path> jdks() throws IOException {
    try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
      return homes
          .map(home -> home.resolve("bin/java"))
          .filter(Files::isExecutable)
          .map(LauncherIT::real)
          .distinct()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void runsWithAndWithoutItsStartUpCache(Path java) throws Exception {
    Result plain = run(java, true, "list", "--help");
    assumeThat(plain.out()).as("this JDK runs the jar").doesNotContain("UnsupportedClassVersion");
    assertThat(plain.status()).as(plain.out()).isZero();

    Result first = run(java, false, "list", "--help");
    Result second = run(java, false, "list", "--help");

    assertThat(first.status()).as(first.out()).isZero();
    assertThat(second.status()).as(second.out()).isZero();
    assertThat(second.out()).isEqualTo(plain.out());
    try (Stream<Path> caches = Files.list(ROOT.resolve("target"))) {
      assertThat(caches.map(p -> p.getFileName().toString()))
          .anyMatch(
              n -> n.startsWith("fileshare-jdk") && (n.endsWith(".aot") || n.endsWith(".jsa")));
    }
  }

  /**
   * picocli's own jar holds Java 5 class files, which no start-up cache takes; the build compiles
   * its sources for Java 17 so that the cache holds them too.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void loadsPicocliFromTheStartUpCache(Path java) throws Exception {
    Result warm = run(java, false, "list", "--help");
    assumeThat(warm.out()).as("this JDK runs the jar").doesNotContain("UnsupportedClassVersion");

    Result loads =
        run(java, false, Map.of("FILESHARE_JAVA_OPTS", "-Xlog:class+load=info"), "list", "--help");

    assertThat(loads.status()).as(loads.out()).isZero();
    assertThat(loads.out().lines().filter(line -> line.contains(" picocli.CommandLine source:")))
        .singleElement()
        .asString()
        .contains("shared objects file");
  }

  @Test
  void saysSoWhenFileshareJavaIsNotAJava() throws Exception {
    Result result = run(work.resolve("no-such-jdk/bin/java"), true, "list", "--help");

    assertThat(result.status()).isEqualTo(1);
    assertThat(result.out()).contains("FILESHARE_JAVA=").contains("is not an executable file");
  }

  /** One-shot commands compile with C1 alone; the long-running server and console keep C2. */
  @ParameterizedTest
  @MethodSource("jdks")
  void tunesTheCompilerForOneShotCommandsOnly(Path java) throws Exception {
    Map<String, String> printFlags = Map.of("FILESHARE_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    Result list = run(java, true, printFlags, "list", "--help");
    assumeThat(list.out()).as("this JDK runs the jar").doesNotContain("UnsupportedClassVersion");
    Result server = run(java, true, printFlags, "server", "--help");
    Result console = run(java, true, printFlags, "client", "--help");

    assertThat(list.status()).as(list.out()).isZero();
    assertThat(server.status()).as(server.out()).isZero();
    assertThat(console.status()).as(console.out()).isZero();
    assertThat(flag(list.out(), "TieredStopAtLevel")).isEqualTo("1");
    assertThat(flag(server.out(), "TieredStopAtLevel")).isEqualTo("4");
    assertThat(flag(console.out(), "TieredStopAtLevel")).isEqualTo("4");
  }

  /**
   * The start-up cache is recorded with the JIT's defaults even when a one-shot command (C1 alone)
   * triggers it: the server uses the same cache, and a JDK 25 cache remembers how far each method
   * was compiled in training.
   */
  @Test
  void recordsTheStartUpCacheWithTheJitsDefaults() throws Exception {
    Path java = jdks().reduce((a, b) -> b).orElseThrow();
    Path home = java.getParent().getParent();
    Path fake = Files.createDirectories(work.resolve("jdk/bin"));
    Files.copy(home.resolve("release"), work.resolve("jdk/release"));
    Path log = work.resolve("java-args.log");
    Path wrapper = fake.resolve("java");
    Files.writeString(
        wrapper,
        "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec '" + java + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    assertThat(wrapper.toFile().setExecutable(true)).isTrue();
    try (Stream<Path> caches = Files.list(ROOT.resolve("target"))) {
      for (Path cache :
          caches
              .filter(p -> p.getFileName().toString().matches("fileshare-jdk.*\\.(aot|jsa)"))
              .toList()) {
        Files.delete(cache); // so that this run records it
      }
    }

    Result list = run(wrapper, false, "list", "--help");
    assumeThat(list.out()).as("this JDK runs the jar").doesNotContain("UnsupportedClassVersion");

    assertThat(list.status()).as(list.out()).isZero();
    List<String> runs = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(runs).anyMatch(line -> line.endsWith(" train"));
    for (String line : runs) {
      if (line.endsWith(" train")) {
        assertThat(line).doesNotContain("TieredStopAtLevel").doesNotContain("fileshare.jit");
      } else {
        assertThat(line).contains("-XX:TieredStopAtLevel=1");
      }
    }
  }

  private static String flag(String printedFlags, String name) {
    return printedFlags
        .lines()
        .filter(line -> line.contains(" " + name + " "))
        .map(line -> line.split("=")[1].trim().split("\\s+")[0])
        .findFirst()
        .orElse("(not printed)");
  }

  private Result run(Path java, boolean noCache, String... args) throws Exception {
    return run(java, noCache, Map.of(), args);
  }

  private Result run(Path java, boolean noCache, Map<String, String> env, String... args)
      throws Exception {
    List<String> command =
        Stream.concat(Stream.of(ROOT.resolve("fileshare").toString()), Stream.of(args)).toList();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FILESHARE_JAVA", java.toString());
    builder.environment().putAll(env);
    if (noCache) {
      builder.environment().put("FILESHARE_NO_CACHE", "1");
    }
    builder.redirectOutput(work.resolve("out.txt").toFile());
    Process p = builder.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    String out = Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
    // The one-time notice is not part of the command's output.
    out = out.replace("fileshare: preparing the start-up cache (once per build)...\n", "");
    return new Result(p.exitValue(), out);
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
