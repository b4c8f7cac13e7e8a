package dev.fileshare.security;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One line of the known servers file, kept as the bytes read so that comments, blank lines, lines
 * from a newer version and even bytes that are not UTF-8 are written back exactly as found. Only a
 * well-formed pin has a key and a fingerprint.
 */
record PinLine(byte[] raw, String key, String fingerprint) {
  /** An edit of the file's lines; returns whether it changed anything. */
  interface Change {
    boolean apply(List<PinLine> lines);
  }

  static PinLine of(String key, String fingerprint) {
    return new PinLine(
        (key + " " + fingerprint).getBytes(StandardCharsets.UTF_8), key, fingerprint);
  }

  boolean isFor(String otherKey) {
    return otherKey.equals(key);
  }

  static List<PinLine> parse(byte[] content) {
    List<PinLine> lines = new ArrayList<>();
    int start = 0;
    while (start < content.length) {
      int end = start;
      while (end < content.length && content[end] != '\n') {
        end++;
      }
      lines.add(parseLine(Arrays.copyOfRange(content, start, end)));
      start = end + 1;
    }
    return lines;
  }

  private static PinLine parseLine(byte[] raw) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw))
              .toString()
              .strip();
    } catch (CharacterCodingException e) {
      return new PinLine(raw, null, null);
    }
    String[] fields = text.split("\\s+");
    if (text.startsWith("#") || fields.length != 2 || !Fingerprints.isValid(fields[1])) {
      return new PinLine(raw, null, null);
    }
    // Tolerates hand edits in another case or fingerprint style; a rewrite keeps them as typed.
    return new PinLine(raw, fields[0].toLowerCase(Locale.ROOT), Fingerprints.normalize(fields[1]));
  }

  /**
   * Puts {@code pin} in place of the first line for {@code key} (or at the end) and drops the
   * others for it; with a null pin, only drops them.
   */
  static boolean replace(List<PinLine> lines, String key, PinLine pin) {
    List<PinLine> before = List.copyOf(lines);
    int first = 0;
    while (first < lines.size() && !lines.get(first).isFor(key)) {
      first++;
    }
    lines.removeIf(line -> line.isFor(key));
    if (pin != null) {
      lines.add(Math.min(first, lines.size()), pin);
    }
    return !sameText(before, lines);
  }

  private static boolean sameText(List<PinLine> a, List<PinLine> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i).raw(), b.get(i).raw())) {
        return false;
      }
    }
    return true;
  }
}
