package dev.fileshare.server;

import dev.fileshare.protocol.FrameCodec;
import dev.fileshare.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the client's byte stream into {@link Message}s and, after a PUT frame, into exactly the
 * announced number of bytes of file data, passed on as {@link ByteBuf} slices without copying.
 * After a malformed frame it stops decoding: the session replies with the error and closes.
 */
final class RequestDecoder extends ByteToMessageDecoder {
  private long dataRemaining;
  private boolean failed;

  /** Whether a request has begun and not ended: part of a frame, or upload data still due. */
  boolean midRequest() {
    return dataRemaining > 0 || actualReadableBytes() > 0;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (dataRemaining > 0) {
      int n = (int) Math.min(in.readableBytes(), dataRemaining);
      if (n > 0) {
        // A slice keeps its whole read buffer alive; upload memory is counted in data bytes, so
        // a sliver of a large buffer is copied out (a peer sending tiny segments must not pin a
        // buffer per byte).
        out.add(2L * n >= in.capacity() ? in.readRetainedSlice(n) : in.readBytes(n));
        dataRemaining -= n;
      }
      return;
    }
    Message message;
    try {
      message = FrameCodec.decode(in);
    } catch (RuntimeException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
    if (message == null) {
      return;
    }
    out.add(message);
    if (message instanceof Message.PutRequest put) {
      dataRemaining = put.size();
    }
  }
}
