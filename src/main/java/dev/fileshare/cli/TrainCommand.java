package dev.fileshare.cli;

import dev.fileshare.security.ServerIdentity;
import dev.fileshare.server.FileshareServer;
import dev.fileshare.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The launcher's training run for the JVM's start-up cache (AOT cache on JDK 25, class-data sharing
 * before): a server and the one-shot commands do real work on loopback, in one process, so the JVM
 * records the classes and profiles they need. Nothing leaves the machine: the server binds
 * 127.0.0.1 and the scan probes 127.0.0.1 only.
 */
@Command(
    name = "train",
    hidden = true,
    description = "Exercise server and client on loopback (for the launcher's start-up cache).")
final class TrainCommand implements Callable<Integer> {
  private static final int ROUNDS = 3;
  private static final int SMALL_FILES = 60;

  @Override
  public Integer call() throws IOException {
    Path work = Files.createTempDirectory("fileshare-train");
    try {
      Path shared = Files.createDirectories(work.resolve("shared"));
      Path sources = Files.createDirectories(work.resolve("sources"));
      List<String> files = createFiles(sources);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      // TLS, as people run it; the client's pins and the server's key stay in the work tree.
      ServerIdentity identity = ServerIdentity.loadOrCreate(work.resolve("state"), "training");
      ServerConfig config =
          new ServerConfig(shared, loopback, 0, 0, "training").withIdentity(identity);
      Map<String, String> env = Map.of("XDG_CONFIG_HOME", work.resolve("config").toString());
      try (FileshareServer server = FileshareServer.start(config);
          FileshareServer plain = FileshareServer.start(config.withIdentity(null))) {
        String address = "127.0.0.1:" + server.port();
        run(env, List.of("list", "--plain", "127.0.0.1:" + plain.port()));
        for (int round = 0; round < ROUNDS; round++) {
          Path into = Files.createDirectories(work.resolve("got-" + round));
          List<String> put = new ArrayList<>(List.of("put", address));
          files.forEach(f -> put.add(sources.resolve(f).toString()));
          run(env, put);
          run(env, List.of("list", address));
          List<String> get = new ArrayList<>(List.of("get", address, "--dir", into.toString()));
          get.addAll(files);
          run(env, get);
          run(env, List.of("get", address, "--dir", into.toString(), "--force", "small-*"));
        }
        run(
            env,
            List.of(
                "scan",
                "--target",
                "127.0.0.1",
                "--port",
                Integer.toString(server.discoveryPort()),
                "--timeout",
                "0.2"));
        run(env, List.of("--help"));
        run(env, List.of("--version"));
      }
    } finally {
      deleteTree(work);
    }
    return 0;
  }

  private static List<String> createFiles(Path dir) throws IOException {
    Random random = new Random(1);
    List<String> names = new ArrayList<>();
    // Enough small files for their per-file paths to get hot (and their profiles recorded), and
    // a few large ones for the data paths.
    List<Integer> sizes = new ArrayList<>(List.of(0, 100, 65_536, 3 << 20, 9 << 20));
    for (int i = 0; i < SMALL_FILES; i++) {
      sizes.add(4096);
    }
    for (int i = 0; i < sizes.size(); i++) {
      byte[] data = new byte[sizes.get(i)];
      random.nextBytes(data);
      String name = String.format("small-%04d.bin", i);
      Files.write(dir.resolve(name), data);
      names.add(name);
    }
    return names;
  }

  private static void run(Map<String, String> env, List<String> args) {
    StringWriter sink = new StringWriter();
    PrintWriter writer = new PrintWriter(sink);
    Main.run(
        args.toArray(String[]::new),
        new ByteArrayInputStream(new byte[0]),
        writer,
        writer,
        false,
        env);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TrainCommand::deleteQuietly);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
