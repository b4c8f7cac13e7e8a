package dev.fileshare.server;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.protocol.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.List;

/**
 * Looks at a connection's first byte to tell a TLS client (a handshake record, 0x16) from a plain
 * one (a HELLO frame, 0x01), and turns the wrong kind away with a plain ERROR frame that says what
 * to do, instead of leaving both sides to time out on bytes they cannot read. A client expecting
 * TLS recognises the ERROR frame's type byte (0xFF), which no TLS record starts with.
 */
final class TlsDetector extends ByteToMessageDecoder {
  private static final int TLS_HANDSHAKE_RECORD = 0x16;

  /** The SslHandler's outbound record size: a few records per system call, fewer wraps. */
  private static final int TLS_WRAP_BYTES = 64 << 10;

  private final SslContext tls;
  private final long handshakeTimeoutMillis;
  private boolean refused;

  /**
   * @param tls the server's TLS context, or null on a plain server
   * @param handshakeTimeoutMillis how long a client may take to finish its handshake: the request
   *     timeout, since a half-sent handshake is a half-sent request
   */
  TlsDetector(SslContext tls, long handshakeTimeoutMillis) {
    this.tls = tls;
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (refused) {
      // Whatever follows a refusal is the wrong kind of bytes: dropped until the close.
      in.skipBytes(in.readableBytes());
      return;
    }
    if (!in.isReadable()) {
      return;
    }
    boolean clientSpeaksTls = in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD;
    if (tls != null && clientSpeaksTls) {
      SslHandler handler = tls.newHandler(ctx.alloc());
      handler.setWrapDataSize(TLS_WRAP_BYTES);
      handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
      // Replacing hands the bytes read so far to the TLS handler.
      ctx.pipeline().replace(this, "tls", handler);
      // File data cannot go by sendfile through TLS: it is read in chunks and encrypted.
      ctx.pipeline().addAfter("tls", "chunker", new ChunkedWriteHandler());
    } else if (tls == null && !clientSpeaksTls) {
      ctx.pipeline().remove(this);
    } else {
      in.skipBytes(in.readableBytes());
      refused = true;
      refuse(
          ctx,
          tls != null
              ? "this server uses TLS; connect without --plain"
              : "this server does not use TLS (it runs with --plain); connect with --plain");
    }
  }

  private static void refuse(ChannelHandlerContext ctx, String message) {
    // Through the whole pipeline, so that the reply encoder frames it.
    ctx.channel()
        .writeAndFlush(new Message.ErrorReply(ErrorCode.TLS_MISMATCH, message))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
