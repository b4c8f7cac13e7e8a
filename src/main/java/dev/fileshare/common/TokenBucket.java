package dev.fileshare.common;

/**
 * Tokens refilled continuously up to a burst size: the rate limit behind discovery replies and
 * password attempts. Not thread-safe; time comes from the caller, so tests need no clock.
 */
public final class TokenBucket {
  private final double burst;
  private final double perNano;
  private double tokens;
  private long updated;

  public TokenBucket(int burst, double perSecond, long nowNanos) {
    this.burst = burst;
    this.perNano = perSecond / 1e9;
    this.tokens = burst;
    this.updated = nowNanos;
  }

  public boolean hasToken(long nowNanos) {
    refill(nowNanos);
    return tokens >= 1;
  }

  public void take() {
    tokens -= 1;
  }

  /** Returns a token taken earlier (never beyond the burst). */
  public void give(long nowNanos) {
    refill(nowNanos);
    tokens = Math.min(burst, tokens + 1);
  }

  public boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  /** Nanoseconds until the next token, 0 if one is there. */
  public long nanosToNextToken(long nowNanos) {
    refill(nowNanos);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - updated;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      updated = nowNanos;
    }
  }
}
