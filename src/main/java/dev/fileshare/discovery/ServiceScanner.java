package dev.fileshare.discovery;

import static dev.fileshare.discovery.DiscoveryProtocol.MAX_ACCEPTED_REPLY_BYTES;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds fileshare services, and original-design ones, by sending discovery probes and collecting
 * the replies. Client side; plain JDK.
 *
 * <p>A scan always lasts its whole timeout: there is no telling whether another service is still to
 * answer. It returns an empty list when nothing answered; turning that into an error is the
 * caller's business.
 */
public final class ServiceScanner {
  /** Probes go out over this share of the timeout, leaving the rest for the last ones' replies. */
  private static final double SENDING_SHARE = 0.6;

  /** Beyond this, replies are someone flooding us rather than a real network. */
  private static final int MAX_SERVICES = 1000;

  private static final byte[] LIMITED_BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

  private final ProbeSender sender;

  public ServiceScanner() {
    this(ProbeSender.DIRECT);
  }

  ServiceScanner(ProbeSender sender) {
    this.sender = sender;
  }

  public List<FoundService> scan(ScanRequest request) {
    return scan(request, service -> {});
  }

  /**
   * Scans, blocking for {@code request.timeout()}.
   *
   * @param onFound called on the calling thread with each service when it first answers, so that a
   *     user sees services as they come in
   * @return each service that answered, once, in order of first reply; services are told apart by
   *     reply address and TCP port
   * @throws FileshareException with {@link ErrorCode#CONNECTION_FAILED} if no probe could be sent
   *     to any target, or the socket failed
   */
  public List<FoundService> scan(ScanRequest request, Consumer<FoundService> onFound) {
    List<InetAddress> targets = request.targets().isEmpty() ? defaultTargets() : request.targets();
    Scan scan = new Scan(request, targets, onFound);
    try (DatagramChannel channel = open(targets);
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      scan.run(channel, selector);
    } catch (ClosedByInterruptException e) {
      // Interrupted (e.g. the user gave up): what was found so far is still worth showing.
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new FileshareException(
          ErrorCode.CONNECTION_FAILED, "discovery failed: " + e.getMessage(), e);
    }
    return scan.found();
  }

  /**
   * Where probes go by default: the limited broadcast address 255.255.255.255, plus the broadcast
   * address of each IPv4 network of every interface that is up and not loopback. The latter matter
   * because the limited broadcast leaves through only one interface, chosen by the routing table.
   */
  public static List<InetAddress> defaultTargets() {
    Set<InetAddress> targets = new LinkedHashSet<>();
    targets.add(limitedBroadcast());
    try {
      var interfaces = NetworkInterface.getNetworkInterfaces();
      if (interfaces != null) {
        for (NetworkInterface nif : Collections.list(interfaces)) {
          addBroadcastAddresses(nif, targets);
        }
      }
    } catch (SocketException e) {
      // Interfaces cannot be listed: the limited broadcast alone still reaches the main network.
    }
    return List.copyOf(targets);
  }

  private static void addBroadcastAddresses(NetworkInterface nif, Set<InetAddress> targets) {
    try {
      if (!nif.isUp() || nif.isLoopback()) {
        return;
      }
    } catch (SocketException e) {
      return; // The interface went away while we looked.
    }
    for (InterfaceAddress address : nif.getInterfaceAddresses()) {
      if (address.getBroadcast() instanceof Inet4Address broadcast) {
        targets.add(broadcast);
      }
    }
    for (NetworkInterface alias : Collections.list(nif.getSubInterfaces())) {
      addBroadcastAddresses(alias, targets);
    }
  }

  private static InetAddress limitedBroadcast() {
    try {
      return InetAddress.getByAddress(LIMITED_BROADCAST);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  /** An ephemeral port, never the well-known one, so that a local server can answer us. */
  private static DatagramChannel open(List<InetAddress> targets) throws IOException {
    boolean anyIpv6 = targets.stream().anyMatch(a -> a instanceof Inet6Address);
    DatagramChannel channel =
        DatagramChannel.open(anyIpv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    try {
      channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
      channel.bind(null);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The state of one scan. */
  private final class Scan {
    private final ScanRequest request;
    private final List<InetAddress> targets;
    private final Consumer<FoundService> onFound;
    private final Map<ServiceKey, FoundService> found = new LinkedHashMap<>();
    private final ByteBuffer probe = ByteBuffer.wrap(DiscoveryProtocol.probeBytes());
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_ACCEPTED_REPLY_BYTES + 1);
    private final long start = System.nanoTime();
    private final long deadline;
    private final long probeInterval;
    private int roundsSent;

    Scan(ScanRequest request, List<InetAddress> targets, Consumer<FoundService> onFound) {
      this.request = request;
      this.targets = targets;
      this.onFound = onFound;
      long timeout = request.timeout().toNanos();
      this.deadline = start + timeout;
      this.probeInterval = (long) (timeout * SENDING_SHARE / request.probes());
    }

    void run(DatagramChannel channel, Selector selector) throws IOException {
      while (!Thread.currentThread().isInterrupted()) {
        long now = System.nanoTime();
        if (roundsSent < request.probes() && now - nextRound() >= 0) {
          sendRound(channel);
          continue;
        }
        long remaining = deadline - now;
        if (remaining <= 0) {
          return;
        }
        long wait =
            roundsSent < request.probes() ? Math.min(remaining, nextRound() - now) : remaining;
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        selector.selectedKeys().clear();
        receiveAll(channel);
      }
    }

    private long nextRound() {
      return start + roundsSent * probeInterval;
    }

    /** Sends one probe to each target; a target that cannot be reached is skipped. */
    private void sendRound(DatagramChannel channel) throws IOException {
      List<String> failures = new ArrayList<>();
      for (InetAddress target : targets) {
        try {
          sender.send(channel, probe.duplicate(), new InetSocketAddress(target, request.port()));
        } catch (ClosedChannelException e) {
          throw e; // Interrupted or closed: not the target's fault.
        } catch (IOException | IllegalArgumentException e) {
          failures.add(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
      }
      // Judged on the first round, so that a machine without network fails at once.
      if (roundsSent == 0 && failures.size() == targets.size()) {
        throw new FileshareException(
            ErrorCode.CONNECTION_FAILED,
            "cannot send discovery probe: " + String.join("; ", new LinkedHashSet<>(failures)));
      }
      roundsSent++;
    }

    private void receiveAll(DatagramChannel channel) throws IOException {
      // The deadline check keeps a flood of datagrams from holding the scan past its timeout.
      while (System.nanoTime() - deadline < 0) {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        if (from == null) {
          return;
        }
        // One byte more than accepted, so that an oversized (truncated) reply is seen as such.
        int length = buffer.position();
        if (DiscoveryProtocol.isProbe(buffer.array(), 0, length)) {
          continue; // A reflected probe, not a service.
        }
        Optional<ServiceAnnouncement> announcement =
            ServiceAnnouncement.parse(buffer.array(), 0, length);
        if (announcement.isPresent() && from instanceof InetSocketAddress source) {
          record(announcement.get(), source.getAddress());
        }
      }
    }

    private void record(ServiceAnnouncement announcement, InetAddress from) {
      ServiceKey key = new ServiceKey(from, announcement.tcpPort());
      if (found.containsKey(key) || found.size() >= MAX_SERVICES) {
        return;
      }
      FoundService service =
          FoundService.of(announcement, from, Duration.ofNanos(System.nanoTime() - start));
      found.put(key, service);
      onFound.accept(service);
    }

    List<FoundService> found() {
      return List.copyOf(found.values());
    }
  }

  private record ServiceKey(InetAddress address, int tcpPort) {}
}
