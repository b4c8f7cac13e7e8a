package dev.fileshare.server;

import dev.fileshare.common.TokenBucket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Failed password attempts, limited per client address: a few in a burst (typing mistakes), then
 * one every few seconds, so guessing a password from one address takes years rather than hours.
 * Every attempt takes a token; a right one gives it back, so only failures count. Shared by every
 * connection of a server, hence synchronized; attempts are rare, so the lock is never contended in
 * practice.
 */
final class AuthThrottle {
  static final int BURST = 5;
  static final double PER_SECOND = 0.2;

  /** Addresses remembered at most; beyond it, those whose buckets have refilled go first. */
  static final int MAX_ADDRESSES = 4096;

  private final Map<InetAddress, TokenBucket> failures = new HashMap<>();

  /**
   * Takes one attempt for {@code address}, if it has one left: returns 0 and holds a token, which
   * {@link #succeeded} gives back, or the seconds until it may try. Checking and taking in one
   * step, so that connections checked at once on different event loops cannot share a last token.
   */
  synchronized long tryAttempt(InetAddress address, long nowNanos) {
    TokenBucket bucket = bucketFor(address, nowNanos);
    if (bucket.hasToken(nowNanos)) {
      bucket.take();
      return 0;
    }
    long nanos = bucket.nanosToNextToken(nowNanos);
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /** The attempt was right: it costs nothing. */
  synchronized void succeeded(InetAddress address, long nowNanos) {
    TokenBucket bucket = failures.get(failures.containsKey(address) ? address : null);
    if (bucket != null) {
      bucket.give(nowNanos);
    }
  }

  private TokenBucket bucketFor(InetAddress address, long nowNanos) {
    TokenBucket bucket = failures.get(address);
    if (bucket != null) {
      return bucket;
    }
    if (failures.size() >= MAX_ADDRESSES) {
      forgetRefilled(nowNanos);
    }
    if (failures.size() >= MAX_ADDRESSES) {
      // Thousands of addresses trying at once: they share one bucket.
      address = null;
      bucket = failures.get(null);
    }
    if (bucket == null) {
      bucket = new TokenBucket(BURST, PER_SECOND, nowNanos);
      failures.put(address, bucket);
    }
    return bucket;
  }

  private void forgetRefilled(long nowNanos) {
    for (Iterator<TokenBucket> it = failures.values().iterator(); it.hasNext(); ) {
      if (it.next().isFull(nowNanos)) {
        it.remove();
      }
    }
  }

  synchronized int addressesRemembered() {
    return failures.size();
  }
}
