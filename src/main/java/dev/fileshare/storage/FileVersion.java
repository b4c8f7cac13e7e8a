package dev.fileshare.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one state of a file's content without reading it: the inode, size, modification
 * time and, where the platform has it, the change time. Any write, truncation, rename over it or
 * {@code touch} gives a different version, so a digest remembered for a version stays true for it.
 *
 * @param fileKey the platform's file identity (device and inode on Linux)
 * @param changeTime the inode change time in nanoseconds, or 0 where unknown
 */
record FileVersion(Object fileKey, long size, long modifiedNanos, long changeTime) {

  /**
   * File times come from a coarse kernel clock (one tick, 1 to 10 ms, behind the real time). A file
   * changed within this margin of its last check could change again without its times moving.
   */
  static final long RACY_MARGIN_MILLIS = 50;

  private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,fileKey";
  private static volatile boolean unixViewMissing;

  /**
   * The version of the file at {@code path} (links not followed), or null if the platform cannot
   * identify files or the file is gone.
   */
  static FileVersion of(Path path) {
    try {
      if (!unixViewMissing) {
        try {
          Map<String, Object> a =
              Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          return of(
              a.get("fileKey"),
              (Long) a.get("size"),
              (FileTime) a.get("lastModifiedTime"),
              (FileTime) a.get("ctime"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
          unixViewMissing = true;
        }
      }
      BasicFileAttributes a =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return of(a.fileKey(), a.size(), a.lastModifiedTime(), null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether every later change is sure to show in the times: this version is older than a clock
   * tick at {@code nowMillis}. (The "racy git" problem: a write within the same tick as the
   * version's last change would leave the times as they are.)
   */
  boolean isSettledAt(long nowMillis) {
    // The change time is the kernel's own clock; a modification time may be set to anything.
    long lastChangeNanos = changeTime != 0 ? changeTime : modifiedNanos;
    return lastChangeNanos / 1_000_000 < nowMillis - RACY_MARGIN_MILLIS;
  }

  private static FileVersion of(Object fileKey, long size, FileTime modified, FileTime changed) {
    if (fileKey == null || modified == null) {
      return null;
    }
    return new FileVersion(fileKey, size, nanos(modified), changed == null ? 0 : nanos(changed));
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }
}
