package dev.fileshare.client;

import dev.fileshare.common.DigestAlgorithm;
import java.time.Duration;

/**
 * A transfer that completed and was verified: {@code digestHex} is the digest both sides agreed on,
 * by {@code digestAlgorithm} (which the protocol version chose).
 */
public record TransferResult(
    Direction direction,
    String name,
    long size,
    Duration elapsed,
    DigestAlgorithm digestAlgorithm,
    String digestHex) {

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
