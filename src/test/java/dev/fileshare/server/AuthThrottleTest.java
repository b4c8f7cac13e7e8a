package dev.fileshare.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
  private static final long SECOND = 1_000_000_000L;

  private static InetAddress address(int i) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
  }

  @Test
  void aFewFailuresPassThenOneEveryFiveSeconds() throws Exception {
    AuthThrottle throttle = new AuthThrottle();
    InetAddress a = address(1);
    for (int i = 0; i < AuthThrottle.BURST; i++) {
      assertThat(throttle.tryAttempt(a, 0)).isZero(); // and fails: the token stays spent
    }
    assertThat(throttle.tryAttempt(a, 0)).isEqualTo(5);
    assertThat(throttle.tryAttempt(a, 3 * SECOND)).isEqualTo(2);
    assertThat(throttle.tryAttempt(a, 5 * SECOND)).isZero();
    assertThat(throttle.tryAttempt(a, 5 * SECOND)).isEqualTo(5);
  }

  @Test
  void rightAttemptsCostNothing() throws Exception {
    AuthThrottle throttle = new AuthThrottle();
    InetAddress a = address(1);
    for (int i = 0; i < 3 * AuthThrottle.BURST; i++) {
      assertThat(throttle.tryAttempt(a, 0)).isZero();
      throttle.succeeded(a, 0);
    }
  }

  @Test
  void addressesAreCountedApart() throws Exception {
    AuthThrottle throttle = new AuthThrottle();
    for (int i = 0; i < AuthThrottle.BURST; i++) {
      throttle.tryAttempt(address(1), 0);
    }
    assertThat(throttle.tryAttempt(address(1), 0)).isPositive();
    assertThat(throttle.tryAttempt(address(2), 0)).isZero();
  }

  @Test
  void memoryStaysBoundedUnderManyAddresses() throws Exception {
    AuthThrottle throttle = new AuthThrottle();
    for (int i = 0; i < AuthThrottle.MAX_ADDRESSES * 3; i++) {
      throttle.tryAttempt(address(i), 0);
    }
    assertThat(throttle.addressesRemembered()).isLessThanOrEqualTo(AuthThrottle.MAX_ADDRESSES + 1);
    // Once quiet long enough, old addresses make room for new ones.
    assertThat(throttle.tryAttempt(address(999_999), 3600 * SECOND)).isZero();
    assertThat(throttle.addressesRemembered()).isLessThanOrEqualTo(AuthThrottle.MAX_ADDRESSES + 1);
  }
}
