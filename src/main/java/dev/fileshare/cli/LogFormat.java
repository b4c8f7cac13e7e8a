package dev.fileshare.cli;

/**
 * How log lines look. A server's carry the time of day; a one-shot command's (only Netty's rare
 * warnings) need none, and leaving out the date format spares its start-up the locale data behind
 * it, about 30 ms of CPU. Set before the first logger exists, as system properties, which take
 * precedence over {@code simplelogger.properties}; a user's own setting of them is kept.
 */
final class LogFormat {
  static final String SHOW_DATE_TIME = "org.slf4j.simpleLogger.showDateTime";
  static final String DATE_TIME_FORMAT = "org.slf4j.simpleLogger.dateTimeFormat";

  private LogFormat() {}

  static void configure(String[] args) {
    if (args.length > 0 && args[0].equals("server")) {
      setUnlessGiven(SHOW_DATE_TIME, "true");
      setUnlessGiven(DATE_TIME_FORMAT, "yyyy-MM-dd HH:mm:ss");
    }
  }

  private static void setUnlessGiven(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
