package dev.fileshare.server;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.protocol.Message;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a connection only within the server's limits, in total and per client address. One over
 * the limit gets an ERROR SERVER_BUSY saying which limit, and is closed before anything else runs:
 * a host that opens connections in a loop cannot take the server's file descriptors from others.
 */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

  /** Set on connections that were counted in, so that only those are counted out. */
  private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("fileshare.admitted");

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionLimiter(ServerLimits limits) {
    this.maxTotal = limits.maxConnections();
    this.maxPerAddress = limits.maxConnectionsPerAddress();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress address = addressOf(ctx);
    String refusal = admit(address);
    if (refusal == null) {
      ctx.channel().attr(ADMITTED).set(Boolean.TRUE);
      ctx.fireChannelActive();
      return;
    }
    LOG.warn("refused a connection from {}: {}", address.getHostAddress(), refusal);
    ctx.writeAndFlush(new Message.ErrorReply(ErrorCode.SERVER_BUSY, refusal))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel().hasAttr(ADMITTED)) {
      release(addressOf(ctx));
    }
    ctx.fireChannelInactive();
  }

  /** Counts the connection in; returns why not, or null if admitted. */
  private String admit(InetAddress address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return "too many connections (the server takes " + maxTotal + " at once); try again later";
    }
    boolean[] admitted = {false};
    // compute() is atomic per key: no admission can slip between a check and a count.
    perAddress.compute(
        address,
        (a, count) -> {
          int now = count == null ? 0 : count;
          if (now >= maxPerAddress) {
            return count;
          }
          admitted[0] = true;
          return now + 1;
        });
    if (!admitted[0]) {
      total.decrementAndGet();
      return "too many connections from "
          + address.getHostAddress()
          + " (the server takes "
          + maxPerAddress
          + " per address); close some and try again";
    }
    return null;
  }

  private void release(InetAddress address) {
    total.decrementAndGet();
    perAddress.compute(address, (a, count) -> count == null || count <= 1 ? null : count - 1);
  }

  /** Connections counted now, for tests and logs. */
  int connections() {
    return total.get();
  }

  private static InetAddress addressOf(ChannelHandlerContext ctx) {
    return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
  }
}
