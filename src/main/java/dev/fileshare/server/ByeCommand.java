package dev.fileshare.server;

import dev.fileshare.protocol.Message;
import io.netty.channel.ChannelFutureListener;

/** BYE: the client is leaving; say goodbye and close. */
final class ByeCommand implements ServerCommand<Message.ByeRequest> {
  @Override
  public void start(Session session, Message.ByeRequest request) {
    session.writeAndFlush(new Message.Goodbye()).addListener(ChannelFutureListener.CLOSE);
  }
}
