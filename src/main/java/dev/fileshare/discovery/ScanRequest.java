package dev.fileshare.discovery;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ServiceScanner} does: send the probe {@code probes} times to each target's UDP
 * {@code port}, and collect replies for {@code timeout}. Empty {@code targets} means {@link
 * ServiceScanner#defaultTargets()}, i.e. broadcast on every local network.
 */
public record ScanRequest(int port, Duration timeout, List<InetAddress> targets, int probes) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** Far beyond any sensible scan; keeps deadline arithmetic in nanoseconds from overflowing. */
  public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  /** UDP may drop a datagram; a few probes make a missed service unlikely. */
  public static final int DEFAULT_PROBES = 3;

  public ScanRequest {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("UDP port out of range: " + port);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("timeout must be positive and at most " + MAX_TIMEOUT);
    }
    targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
    if (probes < 1) {
      throw new IllegalArgumentException("probes must be at least 1");
    }
  }

  /** Port 30000, 1 s, the default (broadcast) targets, 3 probes. */
  public static ScanRequest defaults() {
    return new ScanRequest(
        DiscoveryProtocol.DEFAULT_PORT, DEFAULT_TIMEOUT, List.of(), DEFAULT_PROBES);
  }

  public ScanRequest withPort(int newPort) {
    return new ScanRequest(newPort, timeout, targets, probes);
  }

  public ScanRequest withTimeout(Duration newTimeout) {
    return new ScanRequest(port, newTimeout, targets, probes);
  }

  public ScanRequest withTargets(List<InetAddress> newTargets) {
    return new ScanRequest(port, timeout, newTargets, probes);
  }

  public ScanRequest withProbes(int newProbes) {
    return new ScanRequest(port, timeout, targets, newProbes);
  }
}
