package dev.fileshare.discovery;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/** The server's bound discovery socket, answering probes until closed. */
public final class DiscoveryEndpoint implements AutoCloseable {
  /** Netty's native transports prefix errno text with e.g. "bind(..) failed: ". */
  private static final Pattern NATIVE_CALL_PREFIX =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

  private final Channel channel;

  private DiscoveryEndpoint(Channel channel) {
    this.channel = channel;
  }

  /**
   * Binds a UDP socket answering probes with {@code announcement}, and waits until it is bound.
   *
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
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(channelClass)
            // Lets a restarted server rebind while the old socket is still being released. On
            // Linux it also lets another socket that sets it share the port: then broadcasts
            // reach both, unicast probes only one.
            .option(ChannelOption.SO_REUSEADDR, true)
            // We only ever answer unicast; no need to be allowed to send broadcasts.
            .option(ChannelOption.SO_BROADCAST, false)
            .handler(new DiscoveryResponder(announcement));
    InetSocketAddress local =
        bindAddress == null
            ? new InetSocketAddress(port)
            : new InetSocketAddress(bindAddress, port);
    ChannelFuture bound = bootstrap.bind(local).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      throw new FileshareException(
          ErrorCode.INTERNAL_ERROR,
          "cannot bind discovery port UDP " + port + ": " + reason(cause),
          cause);
    }
    return new DiscoveryEndpoint(bound.channel());
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
