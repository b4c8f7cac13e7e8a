package dev.fileshare.server;

import dev.fileshare.common.TokenBucket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Failed password attempts, limited per client address: a few in a burst (typing mistakes), then
 * one every few seconds, so guessing a password from one address takes years rather than hours.
 * Only failures spend tokens. Shared by every connection of a server, hence synchronized; attempts
 * are rare, so the lock is never contended in practice.
 */
final class AuthThrottle {
  static final int BURST = 5;
  static final double PER_SECOND = 0.2;

  /** Addresses remembered at most; beyond it, those whose buckets have refilled go first. */
  static final int MAX_ADDRESSES = 4096;

  private final Map<InetAddress, TokenBucket> failures = new HashMap<>();

  /** 0 if {@code address} may try a password now, else the seconds until it may. */
  synchronized long secondsToWait(InetAddress address, long nowNanos) {
    TokenBucket bucket = failures.get(address);
    if (bucket == null && failures.size() >= MAX_ADDRESSES) {
      bucket = failures.get(null);
    }
    if (bucket == null) {
      return 0;
    }
    long nanos = bucket.nanosToNextToken(nowNanos);
    return nanos == 0 ? 0 : Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  synchronized void failed(InetAddress address, long nowNanos) {
    TokenBucket bucket = failures.get(address);
    if (bucket == null) {
      if (failures.size() >= MAX_ADDRESSES) {
        forgetRefilled(nowNanos);
      }
      if (failures.size() >= MAX_ADDRESSES) {
        // Thousands of addresses failing at once: count this one against a shared bucket.
        address = null;
        bucket = failures.get(null);
      }
      if (bucket == null) {
        bucket = new TokenBucket(BURST, PER_SECOND, nowNanos);
        failures.put(address, bucket);
      }
    }
    if (bucket.hasToken(nowNanos)) {
      bucket.take();
    }
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
