package dev.fileshare.server;

import dev.fileshare.protocol.Message;
import io.netty.buffer.ByteBuf;

/** Receives an upload's file data and its closing digest, on the event loop. */
interface DataSink {
  /** Takes ownership of {@code chunk}. */
  void data(ByteBuf chunk);

  void digest(Message.Digest digest);

  /**
   * The socket has nothing more to read for now: data held back to make bigger writes goes to the
   * disk, so that a peer that stops sending cannot keep it (and its share of memory) waiting.
   */
  default void readComplete() {}

  /**
   * Whether the connection may read more now; false pauses reading until {@link
   * Session#dataDrained()}.
   */
  boolean wantsMore();

  /** The connection went away mid-upload: nothing may remain of it. */
  void abort();
}
