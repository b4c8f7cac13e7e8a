package dev.fileshare.server;

import dev.fileshare.common.DigestAlgorithm;
import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.protocol.Message;
import dev.fileshare.protocol.VersionNegotiation;
import dev.fileshare.storage.SharedDirectory;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's state machine: HELLO first, then one request at a time in arrival order.
 * Requests that arrive while one is running (pipelining) wait in a short backlog, and reading
 * pauses until it empties, so a client can never make the server queue more than one read's worth.
 * This is also the one boundary where failures become ERROR replies and connections close.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter implements Session {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private static final Map<Class<? extends Message>, ServerCommand<?>> COMMANDS =
      Map.of(
          Message.ListRequest.class, new ListCommand(),
          Message.GetRequest.class, new GetCommand(),
          Message.PutRequest.class, new PutCommand(),
          Message.ByeRequest.class, new ByeCommand());

  private final ServerContext context;
  private final EventExecutor storageExecutor;

  /**
   * Uploads in flight at once on one connection, waiting for their group commit. Beyond this the
   * connection waits for the oldest, which bounds open files per client.
   */
  static final int MAX_DEFERRED_REPLIES = 128;

  private final ArrayDeque<Object> backlog = new ArrayDeque<>();

  /** Answers of completed requests still to be sent, oldest first; loop-confined. */
  private final ArrayDeque<CompletableFuture<? extends Message>> deferred = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private String peer = "?";
  private boolean welcomed;

  /** How file data is verified on this connection: set by the version chosen at HELLO. */
  private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA_256;

  private boolean authenticated;
  private boolean busy;
  private boolean closing;
  private DataSink sink;

  /** Time without reads or writes, counted in request timeouts; loop-confined. */
  private long quietNanos;

  SessionHandler(ServerContext context) {
    this.context = context;
    this.storageExecutor = context.storageExecutors().next();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    SocketAddress remote = ctx.channel().remoteAddress();
    this.peer = remote == null ? "?" : remote.toString().replaceFirst("^/", "");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    LOG.debug("connection from {}", peer);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    quietNanos = 0;
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    backlog.add(msg);
    drain();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (sink != null) {
      sink.readComplete();
    }
    ctx.fireChannelReadComplete();
  }

  private void drain() {
    while (!closing && !backlog.isEmpty()) {
      if (sink != null) {
        feedSink(backlog.poll());
      } else if (busy || mustWaitForDeferred(backlog.peek())) {
        break;
      } else {
        dispatch(backlog.poll());
      }
    }
    updateAutoRead();
  }

  private void feedSink(Object msg) {
    if (msg instanceof ByteBuf data) {
      sink.data(data);
    } else if (msg instanceof Message.Digest digest) {
      if (digest.algorithm() != digestAlgorithm) {
        protocolViolation(
            "expected a "
                + digestAlgorithm
                + " digest on this connection, got "
                + digest.algorithm());
        return;
      }
      DataSink finished = sink;
      sink = null;
      finished.digest(digest);
    } else {
      ReferenceCountUtil.release(msg);
      protocolViolation("expected a DIGEST frame after the file data, got " + describe(msg));
    }
  }

  /**
   * Only an upload may start while earlier answers are outstanding: its own answer is deferred too,
   * so the order holds. Anything else answers at once, so it waits for them.
   */
  private boolean mustWaitForDeferred(Object next) {
    if (deferred.isEmpty()) {
      return false;
    }
    return !(next instanceof Message.PutRequest) || deferred.size() >= MAX_DEFERRED_REPLIES;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void dispatch(Object msg) {
    if (!(msg instanceof Message message)) {
      ReferenceCountUtil.release(msg);
      protocolViolation("file data without a PUT request");
      return;
    }
    if (!welcomed) {
      welcome(message);
      return;
    }
    if (message instanceof Message.Auth auth) {
      authenticate(auth);
      return;
    }
    ServerCommand command = COMMANDS.get(message.getClass());
    if (command == null) {
      protocolViolation("unexpected " + message.type() + " frame");
      return;
    }
    if ((message instanceof Message.ListRequest || message instanceof Message.GetRequest)
        && !context.access().mayRead(authenticated)) {
      fail(
          new FileshareException(
              ErrorCode.AUTH_REQUIRED, "this server needs the password before any command"));
      return;
    }
    busy = true;
    try {
      command.start(this, message);
    } catch (FileshareException e) {
      fail(e);
    }
  }

  private void welcome(Message message) {
    if (!(message instanceof Message.Hello hello)) {
      protocolViolation("the first frame must be HELLO, got " + message.type());
      return;
    }
    try {
      int version = VersionNegotiation.choose(hello.version());
      welcomed = true;
      digestAlgorithm = VersionNegotiation.digestAlgorithm(version);
      LOG.debug("{} speaks version {} ({})", peer, version, hello.agent());
      ctx.writeAndFlush(
          new Message.Welcome(version, context.serviceName(), context.access().welcomeAccess()));
    } catch (FileshareException e) {
      fail(e);
    }
  }

  /**
   * Checks a password. A wrong one closes the connection (AUTH_FAILED is fatal), and each failure
   * spends one of the address's few attempts; the password itself is never logged.
   */
  private void authenticate(Message.Auth auth) {
    AccessPolicy access = context.access();
    if (access.password() == null) {
      authenticated = true;
      ctx.writeAndFlush(new Message.AuthOk());
      return;
    }
    InetAddress address = remoteAddress();
    long now = System.nanoTime();
    long wait = context.authThrottle().tryAttempt(address, now);
    if (wait > 0) {
      LOG.warn("{}: password attempt refused, too many failures", peer);
      fail(
          new FileshareException(
              ErrorCode.AUTH_FAILED,
              "too many failed password attempts from your address; try again in " + wait + " s"));
      return;
    }
    if (!access.password().matches(auth.password())) {
      LOG.warn("{}: wrong password", peer);
      fail(new FileshareException(ErrorCode.AUTH_FAILED, "wrong password"));
      return;
    }
    context.authThrottle().succeeded(address, now);
    authenticated = true;
    LOG.info("{} gave the password", peer);
    ctx.writeAndFlush(new Message.AuthOk());
  }

  private InetAddress remoteAddress() {
    SocketAddress remote = ctx.channel().remoteAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  private void updateAutoRead() {
    boolean read = !closing && backlog.isEmpty() && (sink == null || sink.wantsMore());
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  private void protocolViolation(String detail) {
    fail(new FileshareException(ErrorCode.PROTOCOL_ERROR, detail));
  }

  // --- Session, for commands ---

  @Override
  public SharedDirectory storage() {
    return context.storage();
  }

  @Override
  public boolean readOnly() {
    return context.readOnly();
  }

  @Override
  public boolean mayPut() {
    return context.access().mayPut(authenticated);
  }

  @Override
  public boolean encrypted() {
    return context.encrypted();
  }

  @Override
  public DigestAlgorithm digestAlgorithm() {
    return digestAlgorithm;
  }

  @Override
  public UploadBudget uploadBudget() {
    return context.uploadBudget();
  }

  @Override
  public EventExecutor storageExecutor() {
    return storageExecutor;
  }

  @Override
  public EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  @Override
  public void onLoop(Runnable task) {
    onLoop(task, () -> {});
  }

  @Override
  public void onLoop(Runnable task, Runnable dropped) {
    EventLoop loop = ctx.channel().eventLoop();
    if (loop.isShuttingDown()) {
      dropped.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("dropped a task for {}: the server is shutting down", peer);
      dropped.run();
    }
  }

  @Override
  public boolean closing() {
    return closing;
  }

  @Override
  public Channel channel() {
    return ctx.channel();
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public ChannelFuture write(Object message) {
    return ctx.write(message);
  }

  @Override
  public ChannelFuture writeAndFlush(Object message) {
    return ctx.writeAndFlush(message);
  }

  @Override
  public void complete() {
    busy = false;
    drain();
  }

  @Override
  public void fail(FileshareException error) {
    if (reportError(error)) {
      complete();
    }
  }

  @Override
  public boolean sendError(FileshareException error) {
    return reportError(error);
  }

  @Override
  public <T extends Message> List<T> takeQueued(Class<T> type, int max) {
    List<T> taken = new ArrayList<>();
    while (taken.size() < max && type.isInstance(backlog.peek())) {
      taken.add(type.cast(backlog.poll()));
    }
    return taken;
  }

  @Override
  public void putBack(List<? extends Message> requests) {
    for (int i = requests.size() - 1; i >= 0; i--) {
      backlog.addFirst(requests.get(i));
    }
  }

  /** Sends the error; returns whether the connection goes on (false: it is closing). */
  private boolean reportError(FileshareException error) {
    if (closing) {
      return false;
    }
    ChannelFuture sent =
        ctx.writeAndFlush(new Message.ErrorReply(error.code(), error.userMessage()));
    if (error.code().isFatal() || !error.code().isWire()) {
      LOG.info("closing connection from {}: {}", peer, error.userMessage());
      closing = true;
      sent.addListener(ChannelFutureListener.CLOSE);
      releaseBacklog();
      return false;
    }
    return true;
  }

  @Override
  public void completeLater(CompletableFuture<? extends Message> reply) {
    deferred.add(reply);
    reply.whenComplete((message, failure) -> onLoop(this::sendDeferred));
    complete();
  }

  /** Sends the deferred answers that are ready, in order, stopping at the first still pending. */
  private void sendDeferred() {
    boolean sent = false;
    while (!closing && !deferred.isEmpty() && deferred.peek().isDone()) {
      CompletableFuture<? extends Message> next = deferred.poll();
      try {
        ctx.write(next.join());
        sent = true;
      } catch (CompletionException | CancellationException e) {
        Throwable cause = e.getCause();
        reportError(
            cause instanceof FileshareException f
                ? f
                : new FileshareException(ErrorCode.INTERNAL_ERROR, "internal error"));
      }
    }
    if (sent) {
      ctx.flush();
    }
    drain();
  }

  @Override
  public void receiveData(DataSink sink) {
    this.sink = sink;
  }

  @Override
  public void dataDrained() {
    updateAutoRead();
  }

  // --- timeouts ---

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      onQuiet();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  /**
   * Nothing was read or written for a request timeout. Whose turn it was decides: a peer that left
   * a request unfinished or its reply unread is cut off; a connection between requests is closed
   * once idle for the idle timeout; the server's own slowness (a busy disk) is never held against
   * the peer.
   */
  private void onQuiet() {
    if (closing) {
      return;
    }
    ServerLimits limits = context.limits();
    quietNanos += limits.requestTimeout().toNanos();
    ChannelOutboundBuffer unsent = ctx.channel().unsafe().outboundBuffer();
    if (unsent != null && unsent.totalPendingWriteBytes() > 0) {
      LOG.info("closing connection from {}: it stopped reading its replies", peer);
      closing = true;
      releaseBacklog();
      ctx.close();
      return;
    }
    RequestDecoder decoder = ctx.pipeline().get(RequestDecoder.class);
    boolean readingPaused = !ctx.channel().config().isAutoRead();
    boolean peersTurn = !welcomed || (!readingPaused && decoder != null && decoder.midRequest());
    if (peersTurn) {
      fail(
          new FileshareException(
              ErrorCode.REQUEST_TIMEOUT,
              "timed out: no part of the request came for "
                  + limits.requestTimeout().toSeconds()
                  + " s; closing the connection"));
      return;
    }
    boolean serverWorking = busy || sink != null || !backlog.isEmpty() || !deferred.isEmpty();
    if (!serverWorking && quietNanos >= limits.idleTimeout().toNanos()) {
      fail(
          new FileshareException(
              ErrorCode.REQUEST_TIMEOUT,
              "idle for "
                  + limits.idleTimeout().toSeconds()
                  + " s; closing the connection (connect again to go on)"));
    }
  }

  // --- connection boundary ---

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof FileshareException e) {
      fail(e);
    } else if (root instanceof IOException) {
      LOG.debug("connection from {} failed: {}", peer, root.toString());
      ctx.close();
    } else {
      LOG.warn("unexpected failure on connection from {}", peer, root);
      fail(new FileshareException(ErrorCode.INTERNAL_ERROR, "internal error; closing connection"));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (sink != null) {
      LOG.info("connection from {} closed mid-upload; discarding it", peer);
      sink.abort();
      sink = null;
    }
    releaseBacklog();
    LOG.debug("connection from {} closed", peer);
    ctx.fireChannelInactive();
  }

  private void releaseBacklog() {
    Object msg;
    while ((msg = backlog.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }

  private static String describe(Object msg) {
    return msg instanceof Message m ? m.type() + " frame" : "data";
  }
}
