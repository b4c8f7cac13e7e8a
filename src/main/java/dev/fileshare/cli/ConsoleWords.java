package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.util.List;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

/**
 * Splits a console line into words as the line editor does (JLine's parser): blanks separate,
 * quotes keep spaces, a backslash escapes. Scripts and the terminal thus read lines alike.
 */
final class ConsoleWords {
  private static final DefaultParser PARSER = new DefaultParser();

  private ConsoleWords() {}

  static List<String> split(String line) {
    try {
      return PARSER.parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE).words().stream()
          .filter(w -> !w.isEmpty())
          .toList();
    } catch (SyntaxError e) {
      throw new FileshareException(ErrorCode.USAGE, "unbalanced quotes in: " + line);
    }
  }
}
