package dev.fileshare.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for the tests that need one: file locks only exclude other processes, and which
 * classes a start loads can only be seen in a fresh JVM.
 */
final class SecurityProbe {
  private SecurityProbe() {}

  /** {@code identity DIR}, or {@code pin FILE HOST-PREFIX COUNT}. */
  public static void main(String[] args) {
    switch (args[0]) {
      case "identity" ->
          System.out.println(
              "fingerprint="
                  + ServerIdentity.loadOrCreate(Path.of(args[1]), "probe").fingerprint());
      case "pin" -> {
        KnownServers known = new KnownServers(Path.of(args[1]));
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
          known.pin(args[2] + i, 30001, fingerprint(i));
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static String fingerprint(int i) {
    return String.format("%064x", i + 1);
  }

  static Process start(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SecurityProbe.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The probe's output, once it has exited successfully. */
  static String output(Process process) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
