package dev.fileshare.discovery;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The Netty transports the server may run on; epoll only where the native library loads. */
enum Transport {
  NIO(NioIoHandler::newFactory, NioDatagramChannel.class),
  EPOLL(EpollIoHandler::newFactory, EpollDatagramChannel.class);

  private final Supplier<IoHandlerFactory> handlerFactory;
  final Class<? extends DatagramChannel> channelClass;

  Transport(
      Supplier<IoHandlerFactory> handlerFactory, Class<? extends DatagramChannel> channelClass) {
    this.handlerFactory = handlerFactory;
    this.channelClass = channelClass;
  }

  static Stream<Transport> all() {
    return Stream.of(values());
  }

  MultiThreadIoEventLoopGroup newGroup() {
    if (this == EPOLL) {
      Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
    }
    return new MultiThreadIoEventLoopGroup(1, handlerFactory.get());
  }
}
