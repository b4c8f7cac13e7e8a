package dev.fileshare.security;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A share's password, kept only as its SHA-256: comparing two digests of equal length with {@link
 * MessageDigest#isEqual} takes the same time wherever they differ, and whatever the attempt's
 * length. Never printed: {@link #toString()} hides it.
 */
public final class Password {
  /** Longer than any password a person types; bounds what a file or a peer can make us hash. */
  public static final int MAX_BYTES = 1024;

  private final byte[] digest;

  private Password(byte[] digest) {
    this.digest = digest;
  }

  public static Password of(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty password");
    }
    return new Password(sha256(text));
  }

  /** The first line of {@code file}, as {@code --password-file} says; the line end is not part. */
  public static Password fromFile(Path file) {
    return of(firstLine(file));
  }

  /** The first line of a password file, checked: not empty, not too long. */
  public static String firstLine(Path file) {
    String line;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      line = reader.readLine();
    } catch (IOException e) {
      throw new FileshareException(
          ErrorCode.USAGE, "cannot read password file " + file + ": " + LocalFiles.reason(e, file));
    }
    if (line == null || line.isEmpty()) {
      throw new FileshareException(
          ErrorCode.USAGE, "password file " + file + " is empty: its first line is the password");
    }
    if (line.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new FileshareException(
          ErrorCode.USAGE, "the password in " + file + " is longer than " + MAX_BYTES + " bytes");
    }
    return line;
  }

  public boolean matches(String attempt) {
    return MessageDigest.isEqual(digest, sha256(attempt));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Password[hidden]";
  }
}
