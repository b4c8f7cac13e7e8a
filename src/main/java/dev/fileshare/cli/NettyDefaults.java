package dev.fileshare.cli;

/**
 * Netty settings that must be made before its first class loads. A user's own setting (in
 * FILESHARE_JAVA_OPTS, say) is kept.
 */
final class NettyDefaults {
  /**
   * Netty's allocator reports chunk allocations as JDK Flight Recorder events when JFR is
   * available: its first pooled buffer then sets up JFR's metadata, about 65 ms of CPU, which a TLS
   * client paid on every command (the TLS context encodes its certificate in such a buffer). Set it
   * to true to see those events in a recording.
   */
  static final String JFR_EVENTS = "io.netty.jfr.enabled";

  private NettyDefaults() {}

  static void apply() {
    if (System.getProperty(JFR_EVENTS) == null) {
      System.setProperty(JFR_EVENTS, "false");
    }
  }
}
