package dev.fileshare.discovery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import io.netty.channel.EventLoopGroup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceScannerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  private EventLoopGroup group;

  @AfterEach
  void shutDown() {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Only ever loopback targets: tests must not send anything onto the network. */
  private static ScanRequest loopbackScan(int port) {
    return ScanRequest.defaults()
        .withPort(port)
        .withTargets(List.of(LOOPBACK))
        .withTimeout(TIMEOUT)
        .withProbes(3);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal); // A literal: no name lookup happens.
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void findsAResponderOnceThoughProbedThreeTimes() {
    ServiceAnnouncement announcement = new ServiceAnnouncement("fileshare on test", 40123, 1);
    group = Transport.NIO.newGroup();
    List<FoundService> seen = new ArrayList<>();
    try (DiscoveryEndpoint endpoint =
        DiscoveryEndpoint.bind(group, Transport.NIO.channelClass, LOOPBACK, 0, announcement)) {

      List<FoundService> found =
          new ServiceScanner().scan(loopbackScan(endpoint.port()), seen::add);

      assertThat(found).hasSize(1);
      FoundService service = found.get(0);
      assertThat(service.name()).isEqualTo("fileshare on test");
      assertThat(service.address()).isEqualTo(address("127.0.0.1"));
      assertThat(service.tcpPort()).isEqualTo(40123);
      assertThat(service.protocolVersion()).isEqualTo(1);
      assertThat(service.isOriginal()).isFalse();
      assertThat(service.hostPort()).isEqualTo("127.0.0.1:40123");
      assertThat(service.elapsed()).isBetween(Duration.ZERO, TIMEOUT);
      assertThat(seen).containsExactly(service);
    }
  }

  @Test
  void findsAnOriginalServerByItsBareName() throws Exception {
    try (FakeServer original =
        new FakeServer(List.of("X's File Sharing Service".getBytes(UTF_8)))) {
      List<FoundService> found = new ServiceScanner().scan(loopbackScan(original.port()));

      assertThat(found).hasSize(1);
      assertThat(found.get(0).name()).isEqualTo("X's File Sharing Service");
      assertThat(found.get(0).tcpPort()).isEqualTo(DiscoveryProtocol.ORIGINAL_TCP_PORT);
      assertThat(found.get(0).protocolVersion()).isZero();
      assertThat(found.get(0).isOriginal()).isTrue();
      assertThat(original.probesReceived()).isEqualTo(3);
    }
  }

  @Test
  void reportsEachServiceOnceInOrderAndSkipsWhatDoesNotParse() throws Exception {
    byte[] oversized = new byte[3000];
    Arrays.fill(oversized, (byte) 'c');
    byte[] oversizedHead = "C\nport=5002\n".getBytes(UTF_8);
    System.arraycopy(oversizedHead, 0, oversized, 0, oversizedHead.length);
    List<byte[]> replies =
        List.of(
            "A\nversion=1\nport=5000\n".getBytes(UTF_8),
            "bad\nport=0\n".getBytes(UTF_8),
            DiscoveryProtocol.probeBytes(),
            new byte[] {(byte) 0xFF, 0, '\n'},
            oversized,
            "B\nversion=1\nport=5001\n".getBytes(UTF_8),
            "A again\nversion=1\nport=5000\n".getBytes(UTF_8));
    List<String> seen = new ArrayList<>();
    try (FakeServer server = new FakeServer(replies)) {

      List<FoundService> found =
          new ServiceScanner().scan(loopbackScan(server.port()), s -> seen.add(s.name()));

      assertThat(found).extracting(FoundService::name).containsExactly("A", "\uFFFD?", "B");
      assertThat(found).extracting(FoundService::tcpPort).containsExactly(5000, 30001, 5001);
      assertThat(seen).containsExactly("A", "\uFFFD?", "B");
    }
  }

  @Test
  void findsNothingWhenNobodyAnswers() throws Exception {
    try (FakeServer silent = new FakeServer(List.of())) {
      long start = System.nanoTime();

      List<FoundService> found = new ServiceScanner().scan(loopbackScan(silent.port()));

      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(found).isEmpty();
      assertThat(took).isBetween(TIMEOUT, TIMEOUT.plusSeconds(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> silent.probesReceived() == 3);
    }
  }

  @Test
  void skipsTargetsThatCannotBeReached() throws Exception {
    InetAddress unreachable = address("127.0.0.2");
    // Fails the way a downed interface does, before anything is sent.
    ProbeSender failingForOne =
        (channel, probe, target) -> {
          if (target.getAddress().equals(unreachable)) {
            throw new SocketException("Network is unreachable");
          }
          ProbeSender.DIRECT.send(channel, probe, target);
        };
    try (FakeServer server = new FakeServer(List.of("S".getBytes(UTF_8)))) {
      ScanRequest request = loopbackScan(server.port()).withTargets(List.of(unreachable, LOOPBACK));

      List<FoundService> found = new ServiceScanner(failingForOne).scan(request);

      assertThat(found).extracting(FoundService::name).containsExactly("S");
    }
  }

  @Test
  void failsAtOnceWhenNoProbeCanBeSent() {
    ProbeSender alwaysFailing =
        (channel, probe, target) -> {
          throw new SocketException("Network is unreachable");
        };
    ScanRequest request = loopbackScan(9).withTimeout(Duration.ofSeconds(30));
    long start = System.nanoTime();

    assertThatThrownBy(() -> new ServiceScanner(alwaysFailing).scan(request))
        .isInstanceOfSatisfying(
            FileshareException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED))
        .hasMessage("cannot send discovery probe: Network is unreachable");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anInterruptEndsTheScanEarly() throws Exception {
    try (FakeServer silent = new FakeServer(List.of())) {
      ScanRequest request = loopbackScan(silent.port()).withTimeout(Duration.ofSeconds(30));
      long start = System.nanoTime();

      Thread.currentThread().interrupt();
      List<FoundService> found = new ServiceScanner().scan(request);

      assertThat(Thread.interrupted()).isTrue();
      assertThat(found).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void defaultTargetsAreIpv4BroadcastAddresses() {
    // Only computed, never probed.
    List<InetAddress> targets = ServiceScanner.defaultTargets();

    assertThat(targets.get(0)).isEqualTo(address("255.255.255.255"));
    assertThat(targets)
        .doesNotHaveDuplicates()
        .allSatisfy(a -> assertThat(a).isInstanceOf(Inet4Address.class));
    assertThat(targets).noneMatch(InetAddress::isLoopbackAddress);
  }

  @Test
  void scanRequestDefaultsAndValidation() {
    assertThat(ScanRequest.defaults())
        .isEqualTo(new ScanRequest(30000, Duration.ofSeconds(1), List.of(), 3));
    assertThatThrownBy(() -> ScanRequest.defaults().withPort(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScanRequest.defaults().withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScanRequest.defaults().withTimeout(Duration.ofDays(365 * 300)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScanRequest.defaults().withProbes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostPortBracketsIpv6() {
    FoundService v6 = new FoundService("n", address("::1"), 30001, 0, Duration.ZERO, null);

    assertThat(v6.hostPort()).isEqualTo("[0:0:0:0:0:0:0:1]:30001");
    assertThat(v6.isOriginal()).isTrue();
  }
}
