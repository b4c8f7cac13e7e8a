package dev.fileshare.storage;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;

/**
 * The rules for a file name that may cross the wire or name a file in a shared directory.
 *
 * <p>A valid name is a single path component: it can never climb out of, or descend into, a
 * directory, whatever platform reads it. Control characters are refused too, because names end up
 * in terminals and logs, where they could rewrite the screen or forge log lines.
 */
public final class FileNames {
  /** The limit of common file systems (ext4, XFS, APFS, NTFS's 255 UTF-16 units is looser). */
  public static final int MAX_NAME_BYTES = 255;

  /** Names with this prefix belong to fileshare itself and are never shared or accepted. */
  public static final String TEMP_PREFIX = ".fileshare-";

  /** The prefix of files being received; any found at startup are leftovers of a crash. */
  public static final String TEMP_FILE_PREFIX = TEMP_PREFIX + "tmp-";

  /** Names are cut to this many characters inside error messages, so a hostile name stays short. */
  private static final int MAX_DISPLAY_CHARS = 80;

  private FileNames() {}

  /**
   * Returns {@code name} if it is a valid file name.
   *
   * @throws FileshareException with {@link ErrorCode#INVALID_NAME} and a message saying why not
   */
  public static String requireValid(String name) {
    String reason = whyInvalid(name);
    if (reason != null) {
      throw new FileshareException(ErrorCode.INVALID_NAME, invalidNameMessage(name, reason));
    }
    return name;
  }

  /** Whether {@link #requireValid} would accept {@code name}. */
  public static boolean isValid(String name) {
    return whyInvalid(name) == null;
  }

  /** Whether {@code fileName} is one of fileshare's own temporary files. */
  public static boolean isTemporary(String fileName) {
    return fileName != null && fileName.startsWith(TEMP_FILE_PREFIX);
  }

  /** The message of an INVALID_NAME error, quoting the name safely for terminals. */
  static String invalidNameMessage(String name, String reason) {
    if (name == null || name.isEmpty()) {
      return "invalid file name: " + reason;
    }
    return "invalid file name \"" + shortened(forDisplay(name)) + "\": " + reason;
  }

  /**
   * {@code text} with every character a terminal could act on (control and invisible formatting
   * characters, line separators, unpaired surrogates) replaced by a {@code \}{@code uXXXX} escape,
   * so that a name from a peer can be printed without it rewriting the screen or the log.
   */
  public static String forDisplay(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unpaired = isUnpairedSurrogateAt(text, i);
      if (!unpaired && Character.isHighSurrogate(c)) {
        // A valid pair: keep both halves as they are.
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      boolean unsafe =
          unpaired
              || Character.isISOControl(c)
              || Character.getType(c) == Character.FORMAT
              || c == '\u2028'
              || c == '\u2029';
      if (unsafe && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (unsafe) {
          out.append(String.format("\\u%04X", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  private static String shortened(String text) {
    if (text.length() <= MAX_DISPLAY_CHARS) {
      return text;
    }
    int end = MAX_DISPLAY_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // do not cut a character in half
    }
    return text.substring(0, end) + "…";
  }

  /** Why {@code name} is refused, or null if it is valid. */
  private static String whyInvalid(String name) {
    if (name == null || name.isEmpty()) {
      return "the name is empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "\".\" and \"..\" name directories, not files";
    }
    long utf8Bytes = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return "path separators are not allowed";
      }
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return "control characters are not allowed";
      }
      if (isUnpairedSurrogateAt(name, i)) {
        return "it is not valid Unicode (it cannot be encoded as UTF-8)";
      }
      if (Character.isHighSurrogate(c)) {
        utf8Bytes += 4;
        i++; // the low half was checked by isUnpairedSurrogateAt
      } else {
        utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    if (utf8Bytes > MAX_NAME_BYTES) {
      return "it is "
          + utf8Bytes
          + " bytes long in UTF-8; at most "
          + MAX_NAME_BYTES
          + " are allowed";
    }
    if (name.startsWith(TEMP_PREFIX)) {
      return "names starting with \"" + TEMP_PREFIX + "\" are reserved for fileshare";
    }
    return null;
  }

  private static boolean isUnpairedSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
