package dev.fileshare.discovery;

import dev.fileshare.common.TokenBucket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets that bound discovery replies, per source address and in all. A probe is 17 bytes
 * and a reply up to 512, and a datagram's source can be forged: without a bound the server would
 * amplify a flood towards a victim. A scanning client sends a few probes per scan (one per
 * broadcast address, three times), far below the per-source budget.
 *
 * <p>Not thread-safe: one discovery event loop uses it. Time comes from the caller, so tests need
 * no clock.
 */
final class ReplyRateLimiter {
  static final int PER_SOURCE_BURST = 20;
  static final int PER_SOURCE_PER_SECOND = 10;
  static final int TOTAL_BURST = 200;
  static final int TOTAL_PER_SECOND = 200;

  /** Sources remembered at most; beyond it, full buckets (sources quiet for a while) go first. */
  static final int MAX_SOURCES = 4096;

  private final Map<InetAddress, TokenBucket> perSource = new HashMap<>();
  private final TokenBucket total = new TokenBucket(TOTAL_BURST, TOTAL_PER_SECOND, 0);

  /** Whether a reply to {@code source} may go now, taking its token if so. */
  boolean allow(InetAddress source, long nowNanos) {
    TokenBucket bucket = perSource.get(source);
    if (bucket == null) {
      if (perSource.size() >= MAX_SOURCES) {
        forgetQuietSources(nowNanos);
        if (perSource.size() >= MAX_SOURCES) {
          return false; // a flood from many forged sources: answer none of them
        }
      }
      bucket = new TokenBucket(PER_SOURCE_BURST, PER_SOURCE_PER_SECOND, nowNanos);
      perSource.put(source, bucket);
    }
    if (!bucket.hasToken(nowNanos) || !total.hasToken(nowNanos)) {
      return false;
    }
    bucket.take();
    total.take();
    return true;
  }

  int sourcesRemembered() {
    return perSource.size();
  }

  private void forgetQuietSources(long nowNanos) {
    for (Iterator<TokenBucket> it = perSource.values().iterator(); it.hasNext(); ) {
      if (it.next().isFull(nowNanos)) {
        it.remove();
      }
    }
  }
}
