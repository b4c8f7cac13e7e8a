package dev.fileshare.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ReplyRateLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private final ReplyRateLimiter limiter = new ReplyRateLimiter();

  @Test
  void aSourceGetsItsBurstThenItsRate() throws Exception {
    InetAddress source = address(1);
    assertThat(allowed(source, ReplyRateLimiter.PER_SOURCE_BURST + 10, 0))
        .isEqualTo(ReplyRateLimiter.PER_SOURCE_BURST);

    // One second later: the rate's worth of tokens again, no more.
    assertThat(allowed(source, 100, SECOND)).isEqualTo(ReplyRateLimiter.PER_SOURCE_PER_SECOND);
  }

  @Test
  void oneFloodingSourceDoesNotSilenceAnother() throws Exception {
    allowed(address(1), 1000, 0);
    assertThat(limiter.allow(address(2), 0)).isTrue();
  }

  @Test
  void manySourcesTogetherStayWithinTheTotal() throws Exception {
    int replies = 0;
    for (int i = 1; i <= 100; i++) {
      replies += allowed(address(i), 10, 0);
    }
    assertThat(replies).isEqualTo(ReplyRateLimiter.TOTAL_BURST);
  }

  @Test
  void quietSourcesAreForgottenToMakeRoom() throws Exception {
    for (int i = 0; i < ReplyRateLimiter.MAX_SOURCES; i++) {
      limiter.allow(address(i), i * (SECOND / 1000));
    }
    assertThat(limiter.sourcesRemembered()).isEqualTo(ReplyRateLimiter.MAX_SOURCES);

    // Long after, every bucket is full again: a new source finds room.
    assertThat(limiter.allow(address(ReplyRateLimiter.MAX_SOURCES + 1), 3600 * SECOND)).isTrue();
    assertThat(limiter.sourcesRemembered()).isLessThan(ReplyRateLimiter.MAX_SOURCES);
  }

  private int allowed(InetAddress source, int attempts, long now) {
    int n = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.allow(source, now)) {
        n++;
      }
    }
    return n;
  }

  private static InetAddress address(int i) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
  }
}
