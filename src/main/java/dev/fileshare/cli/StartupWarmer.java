package dev.fileshare.cli;

import io.netty.buffer.Unpooled;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Runs the slow one-time initialisations every command needs (Netty's buffer machinery, about 80
 * ms; the security providers behind SHA-256) on a second core while the main thread parses the
 * command line, so that a one-shot command does not pay them in turn. Class initialisation is
 * thread-safe: a main thread that gets there first simply waits for it.
 */
final class StartupWarmer {
  private StartupWarmer() {}

  static void start() {
    Thread thread = new Thread(StartupWarmer::warm, "fileshare-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void warm() {
    try {
      Unpooled.directBuffer(0).release();
      MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException | RuntimeException | LinkageError ignored) {
      // Only a head start: whoever needs these later initialises them and reports any failure.
    }
  }
}
