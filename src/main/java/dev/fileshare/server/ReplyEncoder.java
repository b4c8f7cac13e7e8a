package dev.fileshare.server;

import dev.fileshare.protocol.FrameCodec;
import dev.fileshare.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Encodes reply frames; file regions pass by it untouched on their way to sendfile. */
@Sharable
final class ReplyEncoder extends MessageToByteEncoder<Message> {
  static final ReplyEncoder INSTANCE = new ReplyEncoder();

  private ReplyEncoder() {
    super(Message.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, ByteBuf out) {
    FrameCodec.encode(msg, out);
  }
}
