package dev.fileshare.common;

/**
 * A file as listed: its name inside the shared directory, its size in bytes and its modification
 * time in milliseconds since the epoch.
 */
public record FileInfo(String name, long size, long modifiedMillis) {
  public FileInfo {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }
}
