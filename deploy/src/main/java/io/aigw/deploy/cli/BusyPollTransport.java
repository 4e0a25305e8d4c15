package io.aigw.deploy.cli;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x on Netty's native epoll, with I/O event loops that poll for {@code windowNanos} after
 * their last I/O or wake-up before they sleep ({@link BusyPollStrategy}). Every event loop of the
 * Vert.x instance polls (the admin port and the timers run on them too, and sleep when idle); the
 * acceptor loop and everything else are Vert.x's own epoll transport.
 */
final class BusyPollTransport implements Transport {

  private final long windowNanos;

  BusyPollTransport(long windowNanos) {
    this.windowNanos = windowNanos;
  }

  /**
   * @throws IllegalStateException where Netty's native epoll cannot load: polling is built on it
   */
  static void requireEpoll() {
    if (!EPOLL.available()) {
      throw new IllegalStateException(
          "busy polling needs Netty's native epoll transport (Linux x86_64): "
              + EPOLL.unavailabilityCause());
    }
  }

  @Override
  public String name() {
    return "epoll";
  }

  @Override
  public boolean available() {
    return EPOLL.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return EPOLL.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new Polling(EPOLL.implementation(), windowNanos);
  }

  /** Vert.x's epoll transport with polling I/O event loops. */
  @SuppressWarnings("deprecation") // the SPI still names Netty's InternetProtocolFamily
  private record Polling(io.vertx.core.spi.transport.Transport epoll, long windowNanos)
      implements io.vertx.core.spi.transport.Transport {

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      if (type != IO_EVENT_LOOP_GROUP) {
        return epoll.eventLoopGroup(type, threads, threadFactory, ioRatio);
      }
      IoHandlerFactory polling =
          EpollIoHandler.newFactory(0, () -> new BusyPollStrategy(windowNanos, System::nanoTime));
      return new MultiThreadIoEventLoopGroup(threads, threadFactory, polling);
    }

    // not polling: Vert.x builds its I/O event loops through eventLoopGroup above
    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return epoll.ioHandlerFactory();
    }

    @Override
    public boolean supportsDomainSockets() {
      return epoll.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return epoll.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return epoll.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return epoll.unavailabilityCause();
    }

    @Override
    public java.net.SocketAddress convert(SocketAddress address) {
      return epoll.convert(address);
    }

    @Override
    public SocketAddress convert(java.net.SocketAddress address) {
      return epoll.convert(address);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return epoll.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(io.netty.channel.socket.InternetProtocolFamily family) {
      return epoll.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return epoll.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return epoll.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      epoll.configure(channel, options);
    }

    @Override
    public void configure(
        ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      epoll.configure(options, connectTimeout, domainSocket, bootstrap);
    }

    @Override
    public void configure(
        NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      epoll.configure(options, domainSocket, bootstrap);
    }
  }
}
