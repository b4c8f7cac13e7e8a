package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;

/** A server address as users type it: {@code host}, {@code host:port}, {@code [v6]:port}. */
record HostPort(String host, int port) {

  static HostPort parse(String text, int defaultPort) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw invalid(text, "empty address");
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw invalid(text, "missing ']'");
      }
      String host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        return new HostPort(host, defaultPort);
      }
      if (!rest.startsWith(":")) {
        throw invalid(text, "expected ':' after ']'");
      }
      return new HostPort(host, parsePort(rest.substring(1), text));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.indexOf(':') != colon) {
      // No port, or a bare IPv6 address.
      return new HostPort(s, defaultPort);
    }
    return new HostPort(s.substring(0, colon), parsePort(s.substring(colon + 1), text));
  }

  static int parsePort(String text, String whole) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(whole, "port must be a number from 1 to 65535");
  }

  private static FileshareException invalid(String text, String why) {
    return new FileshareException(ErrorCode.USAGE, "invalid address '" + text + "': " + why);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
