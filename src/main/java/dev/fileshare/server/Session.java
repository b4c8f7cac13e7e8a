package dev.fileshare.server;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.storage.SharedDirectory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a command sees of its connection. Commands run one at a time per connection: a command
 * starts on the event loop, may hop to {@link #storageExecutor()} for blocking file work, and ends
 * with exactly one of {@link #complete()} or {@link #fail}, called on the event loop.
 */
interface Session {
  SharedDirectory storage();

  /** Whether this server refuses uploads. */
  boolean readOnly();

  /** Whether this connection may put: no password is needed, or it was given. */
  boolean mayPut();

  /** Whether the connection speaks TLS: file data cannot leave by sendfile. */
  boolean encrypted();

  /** The digest that verifies file data both ways, chosen by the version spoken. */
  DigestAlgorithm digestAlgorithm();

  /** Upload data waiting for the disk, server-wide. */
  UploadBudget uploadBudget();

  /** Ordered per connection, shared threads: blocking file work goes here, never on the loop. */
  EventExecutor storageExecutor();

  EventLoop eventLoop();

  /**
   * Runs {@code task} on the connection's event loop, where every reply is written. Dropped once
   * the server is shutting down: the connection is closing then, and nobody waits for an answer.
   */
  void onLoop(Runnable task);

  /** As {@link #onLoop(Runnable)}; if the task is dropped, {@code dropped} runs instead, here. */
  void onLoop(Runnable task, Runnable dropped);

  /** Whether the connection is closing (after a fatal error): nothing more may be written. */
  boolean closing();

  Channel channel();

  /** The client's address, for logs. */
  String peer();

  ChannelFuture write(Object message);

  ChannelFuture writeAndFlush(Object message);

  /** The command is done; the next queued request runs. */
  void complete();

  /** Replies with the error; a fatal one closes the connection, otherwise the next request runs. */
  void fail(FileshareException error);

  /**
   * Replies with the error to one request of a batch, without ending the command.
   *
   * @return whether the connection goes on (false: the error was fatal and it is closing)
   */
  boolean sendError(FileshareException error);

  /**
   * Takes up to {@code max} requests of {@code type} that wait right behind the current one, in
   * order, stopping at the first of another kind: a command may serve them together. Those it does
   * not get to go back with {@link #putBack}.
   */
  <T extends Message> List<T> takeQueued(Class<T> type, int max);

  /** Requests taken by {@link #takeQueued} and not served: they run next, in this order. */
  void putBack(List<? extends Message> requests);

  /** Routes the file data and DIGEST frame that follow the current request to {@code sink}. */
  void receiveData(DataSink sink);

  /** A sink that paused reading (too much data waiting for the disk) is ready for more. */
  void dataDrained();

  /**
   * The command is done as far as the connection goes, but its answer comes later: the next request
   * may start now, and {@code reply} (a message, or a failure to report as ERROR) is sent when it
   * completes, in request order, before the answer of any later request that is not itself
   * deferred. Consecutive uploads use this, so that their flushes can be grouped.
   */
  void completeLater(CompletableFuture<? extends Message> reply);

  /** Replies to a request that completed successfully, then takes the next one. */
  default void replyAndComplete(Message reply) {
    writeAndFlush(reply);
    complete();
  }
}
