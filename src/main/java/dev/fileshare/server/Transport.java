package dev.fileshare.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one place where the I/O transport is chosen: Linux's native epoll when its library loads
 * (sendfile, fewer copies and system calls), the JDK's NIO otherwise. Everything else asks this
 * class for groups and channel types.
 */
public final class Transport {
  private final String name;
  private final IoHandlerFactory ioHandlerFactory;
  private final Class<? extends ServerChannel> serverChannelType;
  private final Class<? extends DatagramChannel> datagramChannelType;

  private Transport(
      String name,
      IoHandlerFactory ioHandlerFactory,
      Class<? extends ServerChannel> serverChannelType,
      Class<? extends DatagramChannel> datagramChannelType) {
    this.name = name;
    this.ioHandlerFactory = ioHandlerFactory;
    this.serverChannelType = serverChannelType;
    this.datagramChannelType = datagramChannelType;
  }

  public static Transport best() {
    if (Epoll.isAvailable()) {
      return new Transport(
          "epoll",
          EpollIoHandler.newFactory(),
          EpollServerSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return nio();
  }

  public static Transport nio() {
    return new Transport(
        "nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioDatagramChannel.class);
  }

  public String name() {
    return name;
  }

  public EventLoopGroup newGroup(int threads, String threadPrefix) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(threadPrefix, true), ioHandlerFactory);
  }

  public Class<? extends ServerChannel> serverChannelType() {
    return serverChannelType;
  }

  public Class<? extends DatagramChannel> datagramChannelType() {
    return datagramChannelType;
  }
}
