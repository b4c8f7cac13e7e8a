package dev.fileshare.security;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * SHA-256 certificate fingerprints in one format everywhere (discovery, pins, messages): 64
 * lower-case hex digits, no colons. What people type is read more loosely, see {@link #normalize}.
 */
public final class Fingerprints {
  private static final int HEX_DIGITS = 64;
  private static final String PREFIX = "sha256:";

  /** How much of a rejected input a message repeats. */
  private static final int SHOWN_CHARS = 80;

  private Fingerprints() {}

  /** The SHA-256 of the certificate's DER encoding. */
  public static String of(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.of().formatHex(digest);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate re-encodes", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The canonical form of a fingerprint as people write it: either case, colons between byte pairs
   * ("AB:cd:..."), a "SHA256:" prefix, blanks around.
   *
   * @throws FileshareException {@link ErrorCode#USAGE} if it is not a SHA-256 fingerprint
   */
  public static String normalize(String text) {
    String canonical = canonicalOrNull(text);
    if (canonical == null) {
      throw new FileshareException(
          ErrorCode.USAGE,
          "not a SHA-256 fingerprint: "
              + shown(text)
              + " (expected 64 hex digits, colons between pairs allowed)");
    }
    return canonical;
  }

  /** Whether {@link #normalize} would accept {@code text}. */
  public static boolean isValid(String text) {
    return canonicalOrNull(text) != null;
  }

  /** Whether {@code text} is already in the one format: 64 lower-case hex digits, nothing else. */
  public static boolean isCanonical(String text) {
    return text != null && text.equals(canonicalOrNull(text));
  }

  private static String canonicalOrNull(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip();
    if (s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      s = s.substring(PREFIX.length());
    }
    StringBuilder hex = new StringBuilder(HEX_DIGITS);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int digit = Character.digit(c, 16);
      if (digit >= 0 && c < 128 && hex.length() < HEX_DIGITS) {
        hex.append(Character.forDigit(digit, 16));
      } else if (c != ':' || !colonAllowed(s, i, hex.length())) {
        return null;
      }
    }
    return hex.length() == HEX_DIGITS ? hex.toString() : null;
  }

  /** A colon separates two whole bytes: never first, last, doubled, or inside a pair. */
  private static boolean colonAllowed(String s, int index, int digitsBefore) {
    return digitsBefore > 0
        && digitsBefore % 2 == 0
        && digitsBefore < HEX_DIGITS
        && s.charAt(index - 1) != ':'
        && index + 1 < s.length();
  }

  /** The input as a one-line message may repeat it: shortened, control characters replaced. */
  private static String shown(String text) {
    if (text == null) {
      return "(none)";
    }
    String s = text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }
}
