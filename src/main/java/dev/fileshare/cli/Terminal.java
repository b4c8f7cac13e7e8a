package dev.fileshare.cli;

/** Whether we talk to a person at a terminal or to a script. */
final class Terminal {
  private Terminal() {}

  static boolean interactive() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }
}
