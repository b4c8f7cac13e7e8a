package dev.fileshare.server;

import dev.fileshare.common.ErrorCode;
import dev.fileshare.common.FileshareException;
import dev.fileshare.discovery.DiscoveryEndpoint;
import dev.fileshare.discovery.ServiceAnnouncement;
import dev.fileshare.protocol.ProtocolLimits;
import dev.fileshare.security.FileshareDirectories;
import dev.fileshare.security.TlsEngines;
import dev.fileshare.storage.SharedDirectory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.NonStickyEventExecutorGroup;
import io.netty.util.concurrent.UnorderedThreadPoolEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A running fileshare server: file sharing on TCP and service discovery on UDP, served by one set
 * of event loops, with blocking file work on a separate pool of storage threads.
 */
public final class FileshareServer implements AutoCloseable {
  private static final int STORAGE_THREADS = 16;

  private final ServerConfig config;
  private final Transport transport;
  private final SharedDirectory storage;
  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup ioGroup;
  private final EventLoopGroup discoveryGroup;
  private final EventExecutorGroup storageExecutors;
  private Channel serverChannel;
  private DiscoveryEndpoint discovery;

  private FileshareServer(ServerConfig config, Transport transport) {
    this.config = config;
    this.transport = transport;
    this.storage = SharedDirectory.open(config.directory());
    this.acceptGroup = transport.newGroup(1, "fileshare-accept");
    this.ioGroup = transport.newGroup(0, "fileshare-io");
    this.discoveryGroup = transport.newGroup(1, "fileshare-discovery");
    this.storageExecutors =
        new NonStickyEventExecutorGroup(
            new UnorderedThreadPoolEventExecutor(
                STORAGE_THREADS, new DefaultThreadFactory("fileshare-storage", true)));
  }

  /** Binds both ports and starts serving; fails with a clear message if a port is taken. */
  public static FileshareServer start(ServerConfig config) {
    return start(config, Transport.best());
  }

  public static FileshareServer start(ServerConfig config, Transport transport) {
    FileshareServer server = new FileshareServer(config, transport);
    try {
      server.bind();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void bind() {
    if (config.tls()) {
      FileshareDirectories.requireOutsideShare(config.identity().directory(), storage.root());
    }
    ServerContext context =
        new ServerContext(
            storage,
            config.serviceName(),
            storageExecutors,
            config.limits(),
            new ConnectionLimiter(config.limits()),
            config.readOnly(),
            new UploadBudget(
                config.limits().uploadBufferBytes(), config.limits().uploadBufferBytes() * 2 / 3),
            config.tls() ? TlsEngines.server(config.identity()) : null,
            config.access(),
            new AuthThrottle());
    InetSocketAddress address =
        config.bindAddress() == null
            ? new InetSocketAddress(config.port())
            : new InetSocketAddress(config.bindAddress(), config.port());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptGroup, ioGroup)
            .channel(transport.serverChannelType())
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
            // Reads of up to 1 MiB (below) and TLS records: Netty's default adaptive allocator
            // serves buffers that large unpooled, zeroed and freed each time (measured at a
            // sixth of the server's CPU for TLS gets, and 0.1 s per GiB uploaded in plain).
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            // Uploads arrive faster in big reads: the guess grows up to 1 MiB while the socket
            // keeps filling it, and shrinks back for connections that only send requests.
            .childOption(
                ChannelOption.RCVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(4 << 10, 64 << 10, 1 << 20))
            .childHandler(new ConnectionInitializer(context));
    try {
      serverChannel = bootstrap.bind(address).syncUninterruptibly().channel();
    } catch (Exception e) {
      throw new FileshareException(
          ErrorCode.INTERNAL_ERROR,
          "cannot listen on TCP port " + config.port() + ": " + e.getMessage(),
          e);
    }
    if (config.discoveryPort() != ServerConfig.DISCOVERY_OFF) {
      discovery =
          DiscoveryEndpoint.bind(
              discoveryGroup,
              transport.datagramChannelType(),
              config.bindAddress(),
              config.discoveryPort(),
              new ServiceAnnouncement(
                  config.serviceName(),
                  port(),
                  ProtocolLimits.VERSION,
                  config.tls() ? config.identity().fingerprint() : null));
    }
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The bound discovery port, or -1 when discovery is off. */
  public int discoveryPort() {
    return discovery == null ? ServerConfig.DISCOVERY_OFF : discovery.port();
  }

  public SharedDirectory storage() {
    return storage;
  }

  public boolean readOnly() {
    return config.readOnly();
  }

  public String transportName() {
    return transport.name();
  }

  public ServerConfig config() {
    return config;
  }

  /** Blocks until the server is closed. */
  public void awaitClosed() throws InterruptedException {
    serverChannel.closeFuture().await();
  }

  /**
   * Stops accepting, closes every connection (uploads in progress delete their temporary files on
   * the storage threads), and waits briefly for that cleanup to finish.
   */
  @Override
  public void close() {
    if (discovery != null) {
      discovery.close();
    }
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    discoveryGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    storageExecutors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    // Whatever the executors did not get to: no temporary file outlives the server.
    storage.discardUnfinished();
  }
}
