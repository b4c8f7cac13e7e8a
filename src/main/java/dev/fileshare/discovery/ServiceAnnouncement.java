package dev.fileshare.discovery;

import static dev.fileshare.discovery.DiscoveryProtocol.MAX_ACCEPTED_REPLY_BYTES;
import static dev.fileshare.discovery.DiscoveryProtocol.MAX_NAME_BYTES;
import static dev.fileshare.discovery.DiscoveryProtocol.MAX_REPLY_BYTES;
import static dev.fileshare.discovery.DiscoveryProtocol.ORIGINAL_TCP_PORT;

import dev.fileshare.security.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A server's reply to a discovery probe: its name, its TCP port, its protocol version and, for a
 * TLS server, its certificate's SHA-256 fingerprint (null for a plain server).
 *
 * <p>On the wire it is UTF-8 text of "\n"-separated lines: the name first, then {@code key=value}
 * lines, e.g. {@code "fileshare on alpha\nversion=1\nport=30001\n"}. Original-design servers send
 * only the name, which is why a reply without a port means {@link
 * DiscoveryProtocol#ORIGINAL_TCP_PORT} and version 0. Unknown keys are ignored so that later
 * versions can add fields.
 */
public record ServiceAnnouncement(
    String name, int tcpPort, int protocolVersion, String fingerprint) {
  private static final String PORT_KEY = "port";
  private static final String VERSION_KEY = "version";
  private static final String FINGERPRINT_KEY = "fingerprint";
  private static final char SANITISED_CHAR = '?';

  public ServiceAnnouncement {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("service name must not be empty");
    }
    // parse() strips the name, so a padded name would not survive a round trip.
    if (!name.strip().equals(name)) {
      throw new IllegalArgumentException("service name must not start or end with whitespace");
    }
    if (name.chars().anyMatch(c -> Character.isISOControl(c))) {
      throw new IllegalArgumentException("service name must not contain control characters");
    }
    if (hasUnpairedSurrogate(name)) {
      throw new IllegalArgumentException("service name is not valid Unicode");
    }
    if (utf8Length(name) > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "service name is longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
    }
    if (tcpPort < 1 || tcpPort > 65535) {
      throw new IllegalArgumentException("TCP port out of range: " + tcpPort);
    }
    if (protocolVersion < 0) {
      throw new IllegalArgumentException("protocol version must not be negative");
    }
    if (fingerprint != null && !Fingerprints.isCanonical(fingerprint)) {
      throw new IllegalArgumentException("fingerprint must be 64 lower-case hex digits");
    }
    // The name limit makes this hold today; the check keeps it true as fields are added.
    int encodedLength = encode(name, tcpPort, protocolVersion, fingerprint).length;
    if (encodedLength > MAX_REPLY_BYTES) {
      throw new IllegalArgumentException("announcement too long: " + encodedLength + " bytes");
    }
  }

  /** A plain (no TLS) server's announcement. */
  public ServiceAnnouncement(String name, int tcpPort, int protocolVersion) {
    this(name, tcpPort, protocolVersion, null);
  }

  /** An announcement as an original-design server makes it: a bare name. */
  public static ServiceAnnouncement original(String name) {
    return new ServiceAnnouncement(name, ORIGINAL_TCP_PORT, 0);
  }

  /** The reply payload. */
  public byte[] encode() {
    return encode(name, tcpPort, protocolVersion, fingerprint);
  }

  private static byte[] encode(String name, int tcpPort, int protocolVersion, String fingerprint) {
    String text =
        name + "\n" + VERSION_KEY + "=" + protocolVersion + "\n" + PORT_KEY + "=" + tcpPort + "\n";
    if (fingerprint != null) {
      text += FINGERPRINT_KEY + "=" + fingerprint + "\n";
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static Optional<ServiceAnnouncement> parse(byte[] data) {
    return data == null ? Optional.empty() : parse(data, 0, data.length);
  }

  /**
   * Reads a reply. Never throws: the bytes come from anyone on the network. Returns empty when the
   * reply names no service, is longer than {@link DiscoveryProtocol#MAX_ACCEPTED_REPLY_BYTES}, or
   * has a {@code port} or {@code version} that is not a valid number.
   *
   * <p>Control characters in the name become '?', since a hostile sender could otherwise drive the
   * user's terminal with escape sequences, and the name is cut to {@link
   * DiscoveryProtocol#MAX_NAME_BYTES} UTF-8 bytes (so at most that many characters) at a character
   * boundary. A missing {@code port} means {@link DiscoveryProtocol#ORIGINAL_TCP_PORT}, a missing
   * {@code version} means 0; of a repeated key the first counts.
   */
  public static Optional<ServiceAnnouncement> parse(byte[] data, int offset, int length) {
    if (data == null
        || offset < 0
        || length <= 0
        || length > MAX_ACCEPTED_REPLY_BYTES
        || offset > data.length - length) {
      return Optional.empty();
    }
    // The String constructor replaces malformed UTF-8 with U+FFFD rather than failing.
    String text = new String(data, offset, length, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);

    String name = sanitiseName(withoutTrailingCr(lines[0]));
    if (name.isEmpty()) {
      return Optional.empty();
    }

    Map<String, String> fields = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = withoutTrailingCr(lines[i]);
      int eq = line.indexOf('=');
      if (eq >= 0) {
        fields.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }

    int port = ORIGINAL_TCP_PORT;
    String portText = fields.get(PORT_KEY);
    if (portText != null) {
      port = parseNonNegativeInt(portText);
      if (port < 1 || port > 65535) {
        return Optional.empty();
      }
    }
    int version = 0;
    String versionText = fields.get(VERSION_KEY);
    if (versionText != null) {
      version = parseNonNegativeInt(versionText);
      if (version < 0) {
        return Optional.empty();
      }
    }
    // A malformed fingerprint is dropped rather than the reply: the name and address still help,
    // and the client checks the real certificate when it connects.
    String fingerprint = fields.get(FINGERPRINT_KEY);
    if (fingerprint != null) {
      fingerprint = fingerprint.toLowerCase(java.util.Locale.ROOT);
      if (!Fingerprints.isCanonical(fingerprint)) {
        fingerprint = null;
      }
    }
    return Optional.of(new ServiceAnnouncement(name, port, version, fingerprint));
  }

  private static String withoutTrailingCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String sanitiseName(String raw) {
    String stripped = raw.strip();
    StringBuilder out = new StringBuilder(Math.min(stripped.length(), MAX_NAME_BYTES));
    int bytes = 0;
    for (int i = 0; i < stripped.length(); ) {
      int cp = stripped.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isISOControl(cp)) {
        cp = SANITISED_CHAR;
      } else if (Character.getType(cp) == Character.SURROGATE) {
        // Cannot come from the decoder; guards the record's invariant all the same.
        cp = SANITISED_CHAR;
      }
      bytes += utf8Length(cp);
      if (bytes > MAX_NAME_BYTES) {
        break;
      }
      out.appendCodePoint(cp);
    }
    // Cutting may have left whitespace at the end.
    return out.toString().strip();
  }

  /** The value of a string of ASCII digits, or -1. Stricter than Integer.parseInt (no sign). */
  private static int parseNonNegativeInt(String text) {
    if (text.isEmpty() || text.length() > 10) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value > Integer.MAX_VALUE ? -1 : (int) value;
  }

  private static boolean hasUnpairedSurrogate(String s) {
    return s.codePoints().anyMatch(cp -> Character.getType(cp) == Character.SURROGATE);
  }

  private static int utf8Length(String s) {
    return s.codePoints().map(ServiceAnnouncement::utf8Length).sum();
  }

  private static int utf8Length(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    } else if (codePoint < 0x800) {
      return 2;
    } else if (codePoint < 0x10000) {
      return 3;
    }
    return 4;
  }
}
