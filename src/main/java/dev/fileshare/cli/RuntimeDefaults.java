package dev.fileshare.cli;

/**
 * System properties that libraries read once, when their first class loads, so they are set at the
 * top of {@link Main#main}. A user's own setting (in FILESHARE_JAVA_OPTS, say) is kept.
 */
final class RuntimeDefaults {
  /**
   * How log lines look. A server's carry the time of day; a one-shot command's (only Netty's rare
   * warnings) need none, and leaving out the date format spares its start-up the locale data behind
   * it, about 30 ms of CPU. System properties take precedence over {@code simplelogger.properties}.
   */
  static final String SHOW_DATE_TIME = "org.slf4j.simpleLogger.showDateTime";

  static final String DATE_TIME_FORMAT = "org.slf4j.simpleLogger.dateTimeFormat";

  /**
   * Netty's allocator reports chunk allocations as JDK Flight Recorder events when JFR is
   * available: its first pooled buffer then sets up JFR's metadata, about 65 ms of CPU, which a TLS
   * client paid on every command (the TLS context encodes its certificate in such a buffer). Set it
   * to true to see those events in a recording.
   */
  static final String NETTY_JFR_EVENTS = "io.netty.jfr.enabled";

  private RuntimeDefaults() {}

  static void apply(String[] args) {
    if (args.length > 0 && args[0].equals("server")) {
      setUnlessGiven(SHOW_DATE_TIME, "true");
      setUnlessGiven(DATE_TIME_FORMAT, "yyyy-MM-dd HH:mm:ss");
    }
    setUnlessGiven(NETTY_JFR_EVENTS, "false");
  }

  private static void setUnlessGiven(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
