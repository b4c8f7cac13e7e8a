package dev.fileshare.server;

import dev.fileshare.protocol.Message;
import io.netty.buffer.ByteBuf;

/** Receives an upload's file data and its closing digest, on the event loop. */
interface DataSink {
  /** Takes ownership of {@code chunk}. */
  void data(ByteBuf chunk);

  void digest(Message.Digest digest);

  /**
   * Whether the connection may read more now; false pauses reading until {@link
   * Session#dataDrained()}.
   */
  boolean wantsMore();

  /** The connection went away mid-upload: nothing may remain of it. */
  void abort();
}
