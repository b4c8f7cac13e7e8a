package dev.fileshare.security;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where fileshare keeps things outside the shared directory, per the XDG base directory spec: the
 * server's key in the state directory, the client's pins in the config directory.
 */
public final class FileshareDirectories {
  private static final String NAME = "fileshare";

  private FileshareDirectories() {}

  /**
   * $XDG_STATE_HOME/fileshare, by default ~/.local/state/fileshare. XDG_STATE_HOME is ignored if
   * empty or not absolute, as the spec says.
   */
  public static Path defaultStateDir() {
    return defaultStateDir(System.getenv(), userHome());
  }

  /** $XDG_CONFIG_HOME/fileshare, by default ~/.config/fileshare; the same rule applies. */
  public static Path defaultConfigDir() {
    return defaultConfigDir(System.getenv(), userHome());
  }

  /** {@link #defaultStateDir()} for the given environment and home directory. */
  public static Path defaultStateDir(Map<String, String> env, Path home) {
    return base(env, "XDG_STATE_HOME", home.resolve(".local").resolve("state")).resolve(NAME);
  }

  /** {@link #defaultConfigDir()} for the given environment and home directory. */
  public static Path defaultConfigDir(Map<String, String> env, Path home) {
    return base(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve(NAME);
  }

  private static Path base(Map<String, String> env, String variable, Path fallback) {
    String value = env.get(variable);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      Path path = Path.of(value);
      // A relative value would make the location depend on the working directory.
      return path.isAbsolute() ? path : fallback;
    } catch (InvalidPathException e) {
      return fallback;
    }
  }

  private static Path userHome() {
    return Path.of(System.getProperty("user.home"));
  }

  /**
   * Refuses a state directory that is, or lies inside, the shared directory: clients could download
   * the server's private key. Compared by real paths (links resolved, case as the file system sees
   * it), for the parts that exist; neither directory needs to exist yet.
   */
  public static void requireOutsideShare(Path stateDir, Path sharedDir) {
    Path state = realPathOfNearest(stateDir);
    Path shared = realPathOfNearest(sharedDir);
    if (state.startsWith(shared)) {
      throw new FileshareException(
          ErrorCode.USAGE,
          "the state directory "
              + stateDir
              + " is inside the shared directory "
              + sharedDir
              + " (links followed): clients could download the server's key; choose another"
              + " with --state-dir");
    }
  }

  /** The real path of the nearest existing ancestor, with the rest appended. */
  private static Path realPathOfNearest(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(absolute));
    } catch (IOException e) {
      return absolute;
    }
  }
}
