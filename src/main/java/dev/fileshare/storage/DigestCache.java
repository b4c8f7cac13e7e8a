package dev.fileshare.storage;

import dev.fileshare.common.DigestAlgorithm;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Digests of shared files, remembered by {@link FileVersion} and algorithm, so that serving an
 * unchanged file again costs no second pass over its bytes. A stale entry can only be reached
 * through the same inode, size, modification and change time, which every write changes; and were
 * it ever wrong, the receiver's digest check would refuse the copy rather than keep it.
 *
 * <p>Bounded: the least recently used entries go first. Thread-safe.
 */
final class DigestCache {
  static final int DEFAULT_CAPACITY = 16_384;

  private final Map<Key, byte[]> digests;

  /** Peers of different protocol versions ask for different digests of the same file. */
  private record Key(FileVersion version, DigestAlgorithm algorithm) {}

  DigestCache(int capacity) {
    this.digests =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized byte[] get(FileVersion version, DigestAlgorithm algorithm) {
    if (version == null) {
      return null;
    }
    byte[] digest = digests.get(new Key(version, algorithm));
    return digest == null ? null : digest.clone();
  }

  synchronized void put(FileVersion version, DigestAlgorithm algorithm, byte[] digest) {
    if (version != null) {
      digests.put(new Key(version, algorithm), digest.clone());
    }
  }

  synchronized int size() {
    return digests.size();
  }
}
