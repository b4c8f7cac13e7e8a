package dev.fileshare.security;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client's pins, like SSH's known_hosts with accept-new: one line per server, {@code host:port
 * fingerprint}. Comments and lines this version does not understand survive rewrites untouched.
 * Changes hold a lock beside the file and replace it whole, so clients running at once (a script's
 * parallel gets) lose none of each other's pins, and a reader never sees half a file.
 */
public final class KnownServers {
  static final String HEADER =
      "# fileshare: servers this client has seen, with their certificates' SHA-256 fingerprints.\n"
          + "# One line per server: HOST:PORT FINGERPRINT. A server whose certificate changes is\n"
          + "# refused; remove its line, or run `fileshare trust HOST:PORT FINGERPRINT`, to accept"
          + " it.\n";

  private final Path file;

  public KnownServers(Path file) {
    this.file = file.toAbsolutePath();
  }

  /** The file in {@link FileshareDirectories#defaultConfigDir()}. */
  public static KnownServers atDefaultLocation() {
    return new KnownServers(FileshareDirectories.defaultConfigDir().resolve("known_servers"));
  }

  public Path file() {
    return file;
  }

  /**
   * "host:port" as the file and messages write it: the host lower-cased, an IPv6 literal in
   * brackets ("[::1]:30001").
   */
  public static String key(String host, int port) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h + ":" + port;
  }

  /** The canonical fingerprint pinned for the server, if any. */
  public Optional<String> lookup(String host, int port) {
    String key = key(host, port);
    for (PinLine line : read()) {
      if (line.isFor(key)) {
        return Optional.of(line.fingerprint());
      }
    }
    return Optional.empty();
  }

  /** Pins the server to {@code fingerprint}, replacing any earlier pin for it. */
  public void pin(String host, int port, String fingerprint) {
    String key = key(host, port);
    PinLine pin = PinLine.of(key, Fingerprints.normalize(fingerprint));
    update(lines -> PinLine.replace(lines, key, pin));
  }

  /**
   * Pins the server to {@code fingerprint} unless it is pinned already, in one step under the lock:
   * of two clients meeting a server for the first time at once, the second sees the first's pin.
   * Returns the pin found, or empty if this call made the pin.
   */
  public Optional<String> pinIfAbsent(String host, int port, String fingerprint) {
    String key = key(host, port);
    String canonical = Fingerprints.normalize(fingerprint);
    String[] found = {null};
    update(
        lines -> {
          for (PinLine line : lines) {
            if (line.isFor(key)) {
              found[0] = line.fingerprint();
              return false;
            }
          }
          return PinLine.replace(lines, key, PinLine.of(key, canonical));
        });
    return Optional.ofNullable(found[0]);
  }

  /** Removes the server's pin; returns whether there was one. */
  public boolean forget(String host, int port) {
    String key = key(host, port);
    // Nothing to remove needs no lock, and must not create the directory or the file.
    if (lookup(host, port).isEmpty()) {
      return false;
    }
    return update(lines -> PinLine.replace(lines, key, null));
  }

  /** Read-modify-write under the lock; returns whether {@code change} changed anything. */
  private boolean update(PinLine.Change change) {
    try {
      LocalFiles.createPrivateDirectories(file.getParent());
      return LocalFiles.underLock(
          file.resolveSibling(file.getFileName() + ".lock"),
          () -> {
            boolean fresh = !Files.exists(file);
            List<PinLine> lines = read();
            if (!change.apply(lines)) {
              return false;
            }
            LocalFiles.writeAtomically(file, render(fresh, lines), "rw-------");
            return true;
          });
    } catch (IOException e) {
      throw new FileshareException(
          ErrorCode.LOCAL_STATE,
          "cannot update the known servers file " + file + ": " + LocalFiles.reason(e, file),
          e);
    }
  }

  private List<PinLine> read() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new ArrayList<>();
    } catch (IOException e) {
      throw new FileshareException(
          ErrorCode.LOCAL_STATE,
          "cannot read the known servers file " + file + ": " + LocalFiles.reason(e, file),
          e);
    }
    return PinLine.parse(content);
  }

  private static byte[] render(boolean fresh, List<PinLine> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (fresh) {
      out.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
    }
    for (PinLine line : lines) {
      out.writeBytes(line.raw());
      out.write('\n');
    }
    return out.toByteArray();
  }
}
