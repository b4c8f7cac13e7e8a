package dev.fileshare.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fileshare.discovery.FoundService;
import dev.fileshare.discovery.ScanRequest;
import dev.fileshare.discovery.ServiceScanner;
import dev.fileshare.protocol.ProtocolLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server answers discovery next to its file sharing port. Probes go to loopback only: the
 * test machine's own network may be shared, so broadcast is tested only inside the private
 * namespace lab of RealNetworkIT.
 */
class DiscoveryIT {
  @TempDir Path serverDir;

  @Test
  void aServerAnswersAProbeWithItsNameTcpPortAndVersion() throws Exception {
    try (TestServer server = TestServer.start(serverDir, true)) {
      ScanRequest request =
          ScanRequest.defaults()
              .withPort(server.server.discoveryPort())
              .withTimeout(Duration.ofMillis(600))
              .withTargets(List.of(InetAddress.getByName("127.0.0.1")));
      List<FoundService> found = new ServiceScanner().scan(request);
      assertThat(found).hasSize(1);
      FoundService service = found.get(0);
      assertThat(service.name()).isEqualTo(TestServer.NAME);
      assertThat(service.tcpPort()).isEqualTo(server.port());
      assertThat(service.protocolVersion()).isEqualTo(ProtocolLimits.VERSION);
      assertThat(service.address().getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  /**
   * Linux gives broadcasts only to sockets bound to the wildcard or the broadcast address; a server
   * bound to one address must still be found by a broadcast scan. Loopback's broadcast address
   * stands in for a LAN's here (never broadcast from the host namespace).
   */
  @Test
  void aServerBoundToOneAddressAnswersBroadcastProbesFromThatAddress() throws Exception {
    try (TestServer server = TestServer.start(serverDir, true)) {
      ScanRequest request =
          ScanRequest.defaults()
              .withPort(server.server.discoveryPort())
              .withTimeout(Duration.ofMillis(600))
              .withTargets(List.of(InetAddress.getByName("127.255.255.255")));
      List<FoundService> found = new ServiceScanner().scan(request);
      assertThat(found)
          .singleElement()
          .satisfies(
              service -> {
                assertThat(service.tcpPort()).isEqualTo(server.port());
                assertThat(service.address().getHostAddress()).isEqualTo("127.0.0.1");
              });
    }
  }

  @Test
  void aFloodOfProbesGetsABoundedNumberOfReplies() throws Exception {
    try (TestServer server = TestServer.start(serverDir, true);
        java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
      byte[] probe = "SERVICE DISCOVERY".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.net.InetSocketAddress target =
          new java.net.InetSocketAddress("127.0.0.1", server.server.discoveryPort());
      for (int i = 0; i < 200; i++) {
        socket.send(new java.net.DatagramPacket(probe, probe.length, target));
      }
      socket.setSoTimeout(500);
      int replies = 0;
      try {
        while (true) {
          socket.receive(new java.net.DatagramPacket(new byte[2048], 2048));
          replies++;
        }
      } catch (java.net.SocketTimeoutException done) {
        // no more replies
      }
      // The burst, plus what refilled while the probes went out.
      assertThat(replies).isBetween(1, 60);
      try (var client = server.connect()) {
        assertThat(client.list()).isEmpty();
      }
    }
  }
}
