package dev.fileshare.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DiscoveryResponderTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final ServiceAnnouncement ANNOUNCEMENT =
      new ServiceAnnouncement("fileshare on test — ünïcode", 40123, 1);

  private EventLoopGroup group;

  @AfterEach
  void shutDown() {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private DiscoveryEndpoint bindEndpoint(Transport transport) {
    group = transport.newGroup();
    return DiscoveryEndpoint.bind(group, transport.channelClass, LOOPBACK, 0, ANNOUNCEMENT);
  }

  private static DatagramSocket client() throws IOException {
    return new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
  }

  private static void send(DatagramSocket socket, byte[] payload, int port) throws IOException {
    socket.send(new DatagramPacket(payload, payload.length, LOOPBACK, port));
  }

  /** The next datagram within {@code millis}, or empty. */
  private static Optional<DatagramPacket> receive(DatagramSocket socket, int millis)
      throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
    socket.setSoTimeout(millis);
    try {
      socket.receive(packet);
      return Optional.of(packet);
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  private static void assertAnswersProbe(DatagramSocket socket, int port) throws IOException {
    send(socket, DiscoveryProtocol.probeBytes(), port);

    DatagramPacket reply = receive(socket, 5000).orElseThrow(() -> new AssertionError("no reply"));
    assertThat(reply.getPort()).isEqualTo(port);
    assertThat(ServiceAnnouncement.parse(reply.getData(), reply.getOffset(), reply.getLength()))
        .contains(ANNOUNCEMENT);
  }

  @ParameterizedTest
  @MethodSource("dev.fileshare.discovery.Transport#all")
  void answersAProbeWithTheAnnouncement(Transport transport) throws IOException {
    try (DiscoveryEndpoint endpoint = bindEndpoint(transport);
        DatagramSocket socket = client()) {
      assertThat(endpoint.port()).isPositive();

      assertAnswersProbe(socket, endpoint.port());
      assertAnswersProbe(socket, endpoint.port());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fileshare.discovery.Transport#all")
  void ignoresAnythingButTheExactProbe(Transport transport) throws IOException {
    byte[] random = new byte[1500];
    new Random(7).nextBytes(random);
    byte[] probe = DiscoveryProtocol.probeBytes();
    byte[][] junk = {
      "SERVICE DISCOVERY\n".getBytes(StandardCharsets.US_ASCII),
      "service discovery".getBytes(StandardCharsets.US_ASCII),
      "SERVICE DISCOVERYSERVICE DISCOVERY".getBytes(StandardCharsets.US_ASCII),
      Arrays.copyOf(probe, probe.length - 1),
      new byte[0],
      random,
    };
    try (DiscoveryEndpoint endpoint = bindEndpoint(transport);
        DatagramSocket socket = client()) {
      for (byte[] payload : junk) {
        send(socket, payload, endpoint.port());
      }

      assertThat(receive(socket, 300)).isEmpty();
      assertAnswersProbe(socket, endpoint.port());
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fileshare.discovery.Transport#all")
  void reportsAPortInUse(Transport transport) throws IOException {
    // A plain socket does not set SO_REUSEADDR, so the port cannot be shared with it.
    try (DatagramSocket occupant = client()) {
      int port = occupant.getLocalPort();
      group = transport.newGroup();

      assertThatThrownBy(
              () ->
                  DiscoveryEndpoint.bind(
                      group, transport.channelClass, LOOPBACK, port, ANNOUNCEMENT))
          .isInstanceOfSatisfying(
              FileshareException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
          .hasMessage("cannot bind discovery port UDP " + port + ": Address already in use");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.fileshare.discovery.Transport#all")
  void closedEndpointNoLongerAnswersAndItsPortCanBeBoundAgain(Transport transport)
      throws IOException {
    try (DatagramSocket socket = client()) {
      int port;
      try (DiscoveryEndpoint endpoint = bindEndpoint(transport)) {
        port = endpoint.port();
      }

      send(socket, DiscoveryProtocol.probeBytes(), port);
      assertThat(receive(socket, 300)).isEmpty();

      try (DiscoveryEndpoint again =
          DiscoveryEndpoint.bind(group, transport.channelClass, LOOPBACK, port, ANNOUNCEMENT)) {
        assertAnswersProbe(socket, again.port());
      }
    }
  }
}
