package dev.fileshare.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

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
    ch.pipeline()
        .addLast("encoder", ReplyEncoder.INSTANCE)
        .addLast("decoder", new RequestDecoder())
        .addLast("session", new SessionHandler(context));
  }
}
