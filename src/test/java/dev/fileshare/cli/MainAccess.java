package dev.fileshare.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the command line in-process, for tests outside this package. */
public final class MainAccess {
  private MainAccess() {}

  public record Run(int status, String out, String err) {}

  public static Run run(String... args) {
    return run(Map.of(), args);
  }

  /**
   * Runs with these environment variables and no others, but for the client's pins, which go to a
   * directory of this test JVM's own unless the variables name one.
   */
  public static Run run(Map<String, String> environment, String... args) {
    Map<String, String> env = new HashMap<>(environment);
    env.putIfAbsent("XDG_CONFIG_HOME", testConfigHome().toString());
    env.putIfAbsent("XDG_STATE_HOME", testConfigHome().resolve("state").toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            false,
            env);
    return new Run(status, out.toString(), err.toString());
  }

  private static Path configHome;

  /** One per test JVM, removed at its exit. */
  public static synchronized Path testConfigHome() {
    if (configHome == null) {
      try {
        configHome = Files.createTempDirectory("fileshare-test-config");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path root = configHome;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try (Stream<Path> paths = Files.walk(root)) {
                      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    } catch (IOException ignored) {
                      // a temporary directory left behind
                    }
                  }));
    }
    return configHome;
  }
}
