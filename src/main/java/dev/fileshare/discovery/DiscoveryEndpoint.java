package dev.fileshare.discovery;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The server's bound discovery socket, answering probes until closed. */
public final class DiscoveryEndpoint implements AutoCloseable {
  private static final InternalLogger log =
      InternalLoggerFactory.getInstance(DiscoveryEndpoint.class);

  /** Netty's native transports prefix errno text with e.g. "bind(..) failed: ". */
  private static final Pattern NATIVE_CALL_PREFIX =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

  private final Channel channel;

  /** Sockets that only receive broadcasts for a server bound to one address; replies go above. */
  private final List<Channel> broadcastListeners;

  private DiscoveryEndpoint(Channel channel, List<Channel> broadcastListeners) {
    this.channel = channel;
    this.broadcastListeners = broadcastListeners;
  }

  /**
   * Binds a UDP socket answering probes with {@code announcement}, and waits until it is bound.
   *
   * <p>Linux delivers broadcasts only to sockets bound to the wildcard or to the broadcast address
   * itself. So a server bound to one IPv4 address also listens on its subnet's broadcast address
   * and on 255.255.255.255 (receive only), and answers from its own address, which is the one the
   * client will connect to.
   *
   * @param group where the sockets run; one event loop of their own, so that a flood of datagrams
   *     never delays file transfers (and their shared reply budget needs no lock)
   * @param bindAddress the local address to listen on; null for all interfaces
   * @param port the UDP port, normally {@link DiscoveryProtocol#DEFAULT_PORT}; 0 for any free port
   * @throws FileshareException with {@link ErrorCode#INTERNAL_ERROR} if the port cannot be bound
   */
  public static DiscoveryEndpoint bind(
      EventLoopGroup group,
      Class<? extends DatagramChannel> channelClass,
      InetAddress bindAddress,
      int port,
      ServiceAnnouncement announcement) {
    InetSocketAddress local =
        bindAddress == null
            ? new InetSocketAddress(port)
            : new InetSocketAddress(bindAddress, port);
    // One budget for all of the endpoint's sockets, which therefore share one event loop.
    ReplyRateLimiter limiter = new ReplyRateLimiter();
    EventLoop loop = group.next();
    Channel channel =
        bindOrFail(
            bootstrap(loop, channelClass, new DiscoveryResponder(announcement, null, limiter)),
            local);
    List<Channel> listeners = new ArrayList<>();
    if (bindAddress instanceof Inet4Address && !bindAddress.isAnyLocalAddress()) {
      int actualPort = ((InetSocketAddress) channel.localAddress()).getPort();
      DiscoveryResponder viaChannel = new DiscoveryResponder(announcement, channel, limiter);
      for (InetAddress broadcast : broadcastAddresses((Inet4Address) bindAddress)) {
        ChannelFuture bound =
            bootstrap(loop, channelClass, viaChannel)
                .bind(new InetSocketAddress(broadcast, actualPort))
                .awaitUninterruptibly();
        if (bound.isSuccess()) {
          listeners.add(bound.channel());
        } else {
          log.debug("cannot listen for broadcasts on {}", broadcast, bound.cause());
        }
      }
    }
    return new DiscoveryEndpoint(channel, listeners);
  }

  private static Bootstrap bootstrap(
      EventLoopGroup group,
      Class<? extends DatagramChannel> channelClass,
      DiscoveryResponder responder) {
    return new Bootstrap()
        .group(group)
        .channel(channelClass)
        // Lets a restarted server rebind while the old socket is still being released. On
        // Linux it also lets another socket that sets it share the port: then broadcasts
        // reach both, unicast probes only one.
        .option(ChannelOption.SO_REUSEADDR, true)
        // We only ever answer unicast; no need to be allowed to send broadcasts.
        .option(ChannelOption.SO_BROADCAST, false)
        .handler(responder);
  }

  private static Channel bindOrFail(Bootstrap bootstrap, InetSocketAddress local) {
    ChannelFuture bound = bootstrap.bind(local).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      throw new FileshareException(
          ErrorCode.INTERNAL_ERROR,
          "cannot bind discovery port UDP " + local.getPort() + ": " + reason(cause),
          cause);
    }
    return bound.channel();
  }

  /**
   * The broadcast addresses that reach {@code address}: those of every subnet it belongs to
   * (computed from the prefix where the interface announces none, as loopback does, so that
   * 127.0.0.2 is reached by 127.255.255.255 too), and the limited broadcast address.
   */
  static List<InetAddress> broadcastAddresses(Inet4Address address) {
    Set<InetAddress> result = new LinkedHashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
          if (ia.getAddress() instanceof Inet4Address own
              && sameSubnet(own, address, ia.getNetworkPrefixLength())) {
            InetAddress broadcast = ia.getBroadcast();
            if (broadcast == null) {
              broadcast = directedBroadcast(own, ia.getNetworkPrefixLength());
            }
            if (broadcast != null) {
              result.add(broadcast);
            }
          }
        }
      }
      result.add(InetAddress.getByAddress(new byte[] {-1, -1, -1, -1}));
    } catch (IOException e) {
      log.debug("cannot read the interfaces of {}", address, e);
    }
    return new ArrayList<>(result);
  }

  private static boolean sameSubnet(Inet4Address a, Inet4Address b, int prefix) {
    if (prefix <= 0 || prefix > 32) {
      return false;
    }
    int mask = prefix == 32 ? -1 : ~((1 << (32 - prefix)) - 1);
    return (bits(a) & mask) == (bits(b) & mask);
  }

  private static int bits(Inet4Address address) {
    byte[] b = address.getAddress();
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  private static InetAddress directedBroadcast(Inet4Address address, int prefix)
      throws UnknownHostException {
    if (prefix <= 0 || prefix >= 31) {
      return null;
    }
    int host = (1 << (32 - prefix)) - 1;
    int broadcast = bits(address) | host;
    return InetAddress.getByAddress(
        new byte[] {
          (byte) (broadcast >>> 24),
          (byte) (broadcast >>> 16),
          (byte) (broadcast >>> 8),
          (byte) broadcast
        });
  }

  /** The bound UDP port; the actual one when 0 was asked for. */
  public int port() {
    return localAddress().getPort();
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  /**
   * Closes the socket and waits until the channel is closed. With NIO the kernel releases the port
   * a moment later (at the event loop's next select); SO_REUSEADDR lets a new endpoint bind it at
   * once all the same.
   */
  @Override
  public void close() {
    for (Channel listener : broadcastListeners) {
      listener.close().awaitUninterruptibly();
    }
    channel.close().awaitUninterruptibly();
  }

  /** "Address already in use" whichever transport reported it. */
  private static String reason(Throwable cause) {
    if (cause == null || cause.getMessage() == null) {
      return cause == null ? "unknown error" : cause.getClass().getSimpleName();
    }
    return NATIVE_CALL_PREFIX.matcher(cause.getMessage()).replaceFirst("");
  }
}
