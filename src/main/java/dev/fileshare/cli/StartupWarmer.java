package dev.fileshare.cli;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.security.TlsEngines;
import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;

/**
 * Runs the slow one-time initialisations a command needs (Netty's buffer machinery, about 80 ms;
 * the file digest's classes; for a TLS client, the security providers behind the certificate's
 * SHA-256 fingerprint and loading BoringSSL) on a second core while the main thread parses the
 * command line, so that a one-shot command does not pay them in turn. Class initialisation is
 * thread-safe: a main thread that gets there first simply waits.
 */
final class StartupWarmer {
  /** The commands that connect to a server, by TLS unless --plain is given. */
  private static final Set<String> CLIENT_COMMANDS = Set.of("list", "get", "put", "client");

  private StartupWarmer() {}

  static void start(String[] args) {
    boolean tlsClient = connectsByTls(args);
    Thread thread = new Thread(() -> warm(tlsClient), "fileshare-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether {@code args} run a client command that will make a TLS connection. */
  static boolean connectsByTls(String[] args) {
    return args.length > 0
        && CLIENT_COMMANDS.contains(args[0])
        && !Arrays.asList(args).contains("--plain");
  }

  private static void warm(boolean tlsClient) {
    try {
      Unpooled.directBuffer(0).release();
      DigestAlgorithm.XXH3_128.newHasher();
      if (tlsClient) {
        MessageDigest.getInstance("SHA-256");
        TlsEngines.provider();
      }
    } catch (NoSuchAlgorithmException | RuntimeException | LinkageError ignored) {
      // Only a head start: whoever needs these later initialises them and reports any failure.
    }
  }
}
