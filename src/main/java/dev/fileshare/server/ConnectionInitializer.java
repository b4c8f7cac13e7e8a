package dev.fileshare.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection, read top to bottom: bytes to requests, logic, replies to bytes.
 */
final class ConnectionInitializer extends ChannelInitializer<SocketChannel> {
  private final ServerContext context;

  ConnectionInitializer(ServerContext context) {
    this.context = context;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    long quietNanos = context.limits().requestTimeout().toNanos();
    ch.pipeline()
        // First, so that it can put TLS beneath everything once it has seen the client's first
        // byte; connection refusals sent before that go out plain, which TLS clients understand.
        .addLast(
            "detect", new TlsDetector(context.tls(), context.limits().requestTimeout().toMillis()))
        .addLast("encoder", ReplyEncoder.INSTANCE)
        // After the encoder, so that its refusal is encoded; before all else, so that a refused
        // connection costs nothing more.
        .addLast("limiter", context.limiter())
        // Reads and write progress both count as activity: a client downloading slowly is not
        // idle, one that stopped reading its reply is.
        .addLast("quiet", new IdleStateHandler(true, 0, 0, quietNanos, TimeUnit.NANOSECONDS))
        .addLast("decoder", new RequestDecoder())
        .addLast("session", new SessionHandler(context));
  }
}
