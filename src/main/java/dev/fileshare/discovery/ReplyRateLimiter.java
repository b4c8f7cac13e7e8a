package dev.fileshare.discovery;

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

  private final Map<InetAddress, Bucket> perSource = new HashMap<>();
  private final Bucket total = new Bucket(TOTAL_BURST, TOTAL_PER_SECOND, 0);

  /** Whether a reply to {@code source} may go now, taking its token if so. */
  boolean allow(InetAddress source, long nowNanos) {
    Bucket bucket = perSource.get(source);
    if (bucket == null) {
      if (perSource.size() >= MAX_SOURCES) {
        forgetQuietSources(nowNanos);
        if (perSource.size() >= MAX_SOURCES) {
          return false; // a flood from many forged sources: answer none of them
        }
      }
      bucket = new Bucket(PER_SOURCE_BURST, PER_SOURCE_PER_SECOND, nowNanos);
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
    for (Iterator<Bucket> it = perSource.values().iterator(); it.hasNext(); ) {
      if (it.next().isFull(nowNanos)) {
        it.remove();
      }
    }
  }

  /** Tokens refilled continuously up to the burst size. */
  private static final class Bucket {
    private final double burst;
    private final double perNano;
    private double tokens;
    private long updated;

    Bucket(int burst, int perSecond, long nowNanos) {
      this.burst = burst;
      this.perNano = perSecond / 1e9;
      this.tokens = burst;
      this.updated = nowNanos;
    }

    boolean hasToken(long nowNanos) {
      refill(nowNanos);
      return tokens >= 1;
    }

    void take() {
      tokens -= 1;
    }

    boolean isFull(long nowNanos) {
      refill(nowNanos);
      return tokens >= burst;
    }

    private void refill(long nowNanos) {
      long elapsed = nowNanos - updated;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed * perNano);
        updated = nowNanos;
      }
    }
  }
}
