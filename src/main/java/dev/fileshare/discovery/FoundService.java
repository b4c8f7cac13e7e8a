package dev.fileshare.discovery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A service that answered a scan.
 *
 * @param address where the reply came from, which is where the service listens: a broadcast probe
 *     is answered from the server's own address
 * @param elapsed time from the start of the scan to the reply
 * @param fingerprint the certificate fingerprint the server announced, or null (a plain server)
 */
public record FoundService(
    String name,
    InetAddress address,
    int tcpPort,
    int protocolVersion,
    Duration elapsed,
    String fingerprint) {
  public FoundService {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  static FoundService of(ServiceAnnouncement announcement, InetAddress from, Duration elapsed) {
    return new FoundService(
        announcement.name(),
        from,
        announcement.tcpPort(),
        announcement.protocolVersion(),
        elapsed,
        announcement.fingerprint());
  }

  /** "192.168.1.5:30001", or "[fe80::1]:30001" for IPv6: ready to be given to a connect command. */
  public String hostPort() {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + tcpPort;
  }

  /** An original-design server: it announced only its name, so its protocol is the original one. */
  public boolean isOriginal() {
    return protocolVersion == 0;
  }
}
