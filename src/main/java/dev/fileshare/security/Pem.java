package dev.fileshare.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM (RFC 7468) with the JDK alone, so that loading the identity on every start needs none of
 * BouncyCastle's many classes.
 */
final class Pem {
  private static final Pattern ANY_BEGIN = Pattern.compile("-----BEGIN ([^-\\r\\n]{1,64})-----");

  private Pem() {}

  static byte[] encode(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    String text = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The DER bytes of the first {@code type} block in {@code text}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong, fit to show a user
   */
  static byte[] decode(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    if (from < 0) {
      throw new IllegalArgumentException(missingBlock(text, type));
    }
    int to = text.indexOf(end, from + begin.length());
    if (to < 0) {
      throw new IllegalArgumentException("the " + type + " block has no end line (truncated?)");
    }
    // RFC 7468 lets whitespace, CRLF included, appear anywhere in the body.
    String body = text.substring(from + begin.length(), to).replaceAll("\\s+", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + type + " block is not valid base64");
    }
    if (der.length == 0) {
      throw new IllegalArgumentException("the " + type + " block is empty");
    }
    return der;
  }

  private static String missingBlock(String text, String type) {
    if (text.isBlank()) {
      return "the file is empty";
    }
    Matcher other = ANY_BEGIN.matcher(text);
    if (other.find()) {
      // Most likely a key from OpenSSL in its traditional or encrypted form.
      return "it holds a " + other.group(1) + " block, not the " + type + " block expected";
    }
    return "no " + type + " block in PEM form";
  }
}
