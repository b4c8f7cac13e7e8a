package dev.fileshare.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Any datagram is a reply, or nothing: parsing never throws, and what it accepts is printable (no
 * control characters reach a terminal) and names a valid port.
 */
class ServiceAnnouncementFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parsesOrIgnores(byte[] datagram) {
    Optional<ServiceAnnouncement> parsed = ServiceAnnouncement.parse(datagram);
    parsed.ifPresent(
        a -> {
          assertThat(a.tcpPort()).isBetween(1, 65535);
          assertThat(a.name()).doesNotContainPattern("\\p{Cntrl}");
        });
  }
}
