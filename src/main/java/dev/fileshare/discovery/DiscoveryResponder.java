package dev.fileshare.discovery;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * Answers discovery probes with the service's announcement, sent back to the probe's source address
 * and port. Everything else reaching the discovery port is dropped without a word: it is open to
 * the whole network, so neither replies nor log lines should be something a stranger can trigger at
 * will.
 */
@Sharable
public final class DiscoveryResponder extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final InternalLogger log =
      InternalLoggerFactory.getInstance(DiscoveryResponder.class);

  private final byte[] reply;

  /** The socket replies leave from, or null for the one the probe came in on. */
  private final Channel replyChannel;

  private final ReplyRateLimiter limiter;

  public DiscoveryResponder(ServiceAnnouncement announcement) {
    this(announcement, null);
  }

  /**
   * A responder whose replies leave from {@code replyChannel}: for a socket bound to a broadcast
   * address, which cannot be a reply's source.
   */
  public DiscoveryResponder(ServiceAnnouncement announcement, Channel replyChannel) {
    this(announcement, replyChannel, new ReplyRateLimiter());
  }

  /**
   * Shares {@code limiter} with other responders of one endpoint; all of them must run on one event
   * loop, as the limiter is not thread-safe.
   */
  DiscoveryResponder(
      ServiceAnnouncement announcement, Channel replyChannel, ReplyRateLimiter limiter) {
    super(DatagramPacket.class);
    this.reply = announcement.encode();
    this.replyChannel = replyChannel;
    this.limiter = limiter;
  }

  @Override
  public boolean isSharable() {
    return true;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    if (!DiscoveryProtocol.isProbe(packet.content())) {
      return;
    }
    if (!limiter.allow(packet.sender().getAddress(), System.nanoTime())) {
      log.debug("discovery reply to {} withheld: over its rate", packet.sender());
      return;
    }
    // Wrapping shares the array without copying; Netty never writes into an outbound buffer.
    Channel out = replyChannel == null ? ctx.channel() : replyChannel;
    out.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), packet.sender()))
        .addListener(
            future -> {
              if (!future.isSuccess()) {
                log.debug("discovery reply to {} failed", packet.sender(), future.cause());
              }
            });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A datagram socket has no peer to lose: one bad packet or ICMP error must not stop discovery.
    log.debug("discovery channel error ignored", cause);
  }
}
