package dev.fileshare.cli;

import dev.fileshare.client.TransferResult;
import dev.fileshare.common.FileInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** How sizes, times, listings and transfer summaries look on screen: decided in one place. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  private Formats() {}

  /** Binary units, one decimal: "0 B", "512 B", "1.5 KiB", "3.2 GiB". */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** One line per file, name last so names with spaces stay readable and parseable. */
  static String listing(List<FileInfo> files, boolean exactBytes) {
    StringBuilder out = new StringBuilder();
    for (FileInfo f : files) {
      String size = exactBytes ? Long.toString(f.size()) : size(f.size());
      out.append(
          String.format(Locale.ROOT, "%12s  %s  %s%n", size, time(f.modifiedMillis()), f.name()));
    }
    return out.toString();
  }

  /** "got report.pdf: 12.0 MiB in 0.21 s, 59.9 MB/s" */
  static String summary(TransferResult r) {
    String verb = r.direction() == TransferResult.Direction.UPLOAD ? "put" : "got";
    double seconds = r.elapsed().toNanos() / 1e9;
    return String.format(
        Locale.ROOT,
        "%s %s: %s in %.2f s, %.1f MB/s",
        verb,
        r.name(),
        size(r.size()),
        seconds,
        r.megabytesPerSecond());
  }
}
