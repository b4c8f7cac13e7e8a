package dev.fileshare.client;

import java.time.Duration;

/** A transfer that completed and was verified. */
public record TransferResult(
    Direction direction, String name, long size, Duration elapsed, String sha256Hex) {

  public enum Direction {
    UPLOAD,
    DOWNLOAD
  }

  /** Megabytes (10^6 bytes) per second, as network tools report. */
  public double megabytesPerSecond() {
    double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
    return size / 1e6 / seconds;
  }
}
