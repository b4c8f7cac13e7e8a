package dev.fileshare.cli;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileInfo;
import dev.fileshare.common.FileshareException;
import dev.fileshare.storage.FileNames;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Expands the names given to {@code get} as a shell would, but against the server's files: a name
 * with {@code *}, {@code ?} or {@code [...]} is a pattern and stands for every shared file it
 * matches, in listing order. Other names pass through as they are.
 */
final class RemotePatterns {
  private RemotePatterns() {}

  static boolean isPattern(String name) {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
  }

  /**
   * The names to fetch, each once. {@code listing} is asked only if there is a pattern; a pattern
   * that matches nothing is reported to {@code unmatched} and left out.
   */
  static List<String> expand(
      List<String> names,
      Supplier<List<FileInfo>> listing,
      Consumer<FileshareException> unmatched) {
    if (names.stream().noneMatch(RemotePatterns::isPattern)) {
      return names;
    }
    List<FileInfo> files = listing.get();
    Set<String> expanded = new LinkedHashSet<>();
    for (String name : names) {
      if (!isPattern(name)) {
        expanded.add(name);
        continue;
      }
      List<String> matches = matching(name, files);
      if (matches.isEmpty()) {
        unmatched.accept(
            new FileshareException(
                ErrorCode.NOT_FOUND,
                "no file on the server matches " + FileNames.forDisplay(name)));
      }
      expanded.addAll(matches);
    }
    return new ArrayList<>(expanded);
  }

  private static List<String> matching(String pattern, List<FileInfo> files) {
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    } catch (IllegalArgumentException e) {
      throw new FileshareException(
          ErrorCode.USAGE,
          "invalid pattern " + FileNames.forDisplay(pattern) + ": " + e.getMessage());
    }
    List<String> matches = new ArrayList<>();
    for (FileInfo file : files) {
      if (matcher.matches(Path.of(file.name()))) {
        matches.add(file.name());
      }
    }
    return matches;
  }
}
