package io.aigw.bench;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The default load generator of the ExtProc benchmark: gRPC over HTTP/2 connections that speak the
 * frames themselves ({@link ExtProcH2Connection}) on Netty's native epoll transport, the way
 * Envoy's C++ codec drives ext_proc: persistent connections, one {@code Process} stream per
 * exchange, each message sent when the previous answer arrived, every answer parsed as a {@link
 * io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse} and the last one checked for the
 * dynamic metadata. What it leaves out is a Java gRPC stack's machinery (executor hops, per-call
 * listeners, per-frame promises and flow-controller queues, marshalling the same requests again):
 * the four requests are serialized once. With grpc-java the generator cost as much CPU per exchange
 * as the server, so the pair capped out near 10,000/s on two cores; Envoy's codec costs a fraction
 * of that.
 *
 * <p>Open loop as {@link ExtProcLoad}: exchange {@code i} is due at {@code begin + i / rate} on
 * connection {@code i % connections}; each connection's event loop starts its exchanges from a
 * scheduled task at their due time (no pacing thread, no hand-over, the loop's timer slack cut to 1
 * µs), and latency counts from the due time, so a late start or a queueing server is in the
 * numbers.
 */
final class ExtProcNettyLoad implements ExtProcGenerator {

  private static final String PATH = "/envoy.service.ext_proc.v3.ExternalProcessor/Process";

  private final EventLoopGroup group;
  private final Transport transport;
  private final String host;
  private final int port;
  private final int connectionCount;
  private final ExtProcWorkload.Messages messages;
  private final ByteBuf[] exchange;
  private final ByteBuf streamRequestBody;
  private final ByteBuf streamResponseHeaders;
  private final ByteBuf streamChunk;
  private final ByteBuf streamEnd;
  private final List<ExtProcH2Connection> connections = new ArrayList<>();

  ExtProcNettyLoad(
      String host, int port, int connections, int threads, ExtProcWorkload.Messages messages) {
    this.host = host;
    this.port = port;
    this.connectionCount = connections;
    this.messages = messages;
    // Netty's epoll transport through Vert.x's transport lookup (NIO where it is unavailable)
    this.transport = Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
    this.group =
        new MultiThreadIoEventLoopGroup(threads, transport.implementation().ioHandlerFactory());
    this.exchange =
        new ByteBuf[] {
          frame(messages.requestHeaders),
          frame(messages.requestBody),
          frame(messages.responseHeaders),
          frame(messages.responseBody)
        };
    this.streamRequestBody = frame(messages.streamRequestBody);
    this.streamResponseHeaders = frame(messages.streamResponseHeaders);
    this.streamChunk = frame(messages.streamChunk);
    this.streamEnd = frame(messages.streamEnd);
  }

  /** A gRPC length-prefixed message, serialized once, sent as a duplicate each time. */
  private static ByteBuf frame(ProcessingRequest message) {
    return ExtProcH2Connection.grpcMessage(message.toByteArray());
  }

  /** Whether the native epoll transport is in use (NIO otherwise). */
  boolean nativeTransport() {
    return transport != Transport.NIO;
  }

  @Override
  public void connect() {
    // the kernel's default timer slack (50 µs) would delay every scheduled start by that much
    for (int i = 0; i < connectionCount; i++) {
      group.next().execute(ExtProcNettyLoad::tightTimerSlack);
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channelFactory(transport.implementation().channelFactory(false))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ExtProcH2Connection connection =
                        new ExtProcH2Connection(ch.eventLoop(), host + ":" + port, PATH);
                    ch.pipeline().addLast(connection);
                    synchronized (connections) {
                      connections.add(connection);
                    }
                  }
                });
    for (int i = 0; i < connectionCount; i++) {
      bootstrap.connect(host, port).syncUninterruptibly();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!connections.stream().allMatch(c -> c.ready)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("ExtProc did not complete the HTTP/2 handshake in 10 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static void tightTimerSlack() {
    try {
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // <pid>/task/<tid>
      Files.writeString(Path.of("/proc", self.getFileName().toString(), "timerslack_ns"), "1000");
    } catch (IOException | RuntimeException e) {
      // not Linux or not allowed: starts are then up to the default slack late, and counted so
    }
  }

  @Override
  public ExtProcLoad.RunResult openLoop(int rate, double seconds) {
    ExtProcRun run = new ExtProcRun();
    long total = (long) (rate * seconds);
    long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
    Schedule schedule = new Schedule(run, rate, total, begin, connections.size());
    for (int c = 0; c < connections.size(); c++) {
      Pacer pacer = new Pacer(schedule, connections.get(c), c);
      connections.get(c).loop.execute(pacer::tick);
    }
    schedule.pacersDone.await(TimeUnit.SECONDS.toNanos((long) seconds + 60));
    long sent = schedule.started.get();
    return run.result(rate, seconds, total, sent, begin, schedule.saturated.get());
  }

  /** The due times of one run, shared by the connections' pacers. */
  private static final class Schedule {
    final ExtProcRun run;
    final int rate;
    final long total;
    final long begin;
    final int stride;
    final AtomicLong started = new AtomicLong();
    final AtomicBoolean saturated = new AtomicBoolean();
    final Latch pacersDone;

    Schedule(ExtProcRun run, int rate, long total, long begin, int stride) {
      this.run = run;
      this.rate = rate;
      this.total = total;
      this.begin = begin;
      this.stride = stride;
      this.pacersDone = new Latch(stride);
    }

    long due(long index) {
      return begin + index * 1_000_000_000L / rate;
    }
  }

  /** A count-down the harness thread waits on without blocking an event loop. */
  private static final class Latch {
    private final CountDownLatch latch;

    Latch(int count) {
      latch = new CountDownLatch(count);
    }

    void countDown() {
      latch.countDown();
    }

    void await(long nanos) {
      try {
        if (!latch.await(nanos, TimeUnit.NANOSECONDS)) {
          throw new IllegalStateException("pacers did not finish");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Starts one connection's exchanges ({@code c, c + n, c + 2n, …}) on its event loop: every
   * exchange already due, then sleeps until the next one is due.
   */
  private final class Pacer {
    private final Schedule schedule;
    private final ExtProcH2Connection connection;
    private long next;

    Pacer(Schedule schedule, ExtProcH2Connection connection, int first) {
      this.schedule = schedule;
      this.connection = connection;
      this.next = first;
    }

    void tick() {
      long now = System.nanoTime();
      boolean wrote = false;
      while (next < schedule.total && schedule.due(next) <= now) {
        if (schedule.saturated.get()
            || schedule.started.get() - schedule.run.finished() > ExtProcLoad.MAX_IN_FLIGHT) {
          schedule.saturated.set(true);
          next = schedule.total;
          break;
        }
        schedule.started.incrementAndGet();
        connection.open(new Exchange(schedule.due(next), schedule.run));
        wrote = true;
        next += schedule.stride;
      }
      if (wrote) {
        connection.flush();
      }
      if (next < schedule.total) {
        connection.loop.schedule(this::tick, schedule.due(next) - now, TimeUnit.NANOSECONDS);
      } else {
        schedule.pacersDone.countDown();
      }
    }
  }

  /** One {@link BufferedChat} on a stream of a lean connection. */
  private final class Exchange extends ExtProcH2Connection.Call implements BufferedChat.Wire {
    private final BufferedChat chat;

    Exchange(long due, ExtProcRun run) {
      this.chat = new BufferedChat(due, exchange.length, run, this);
    }

    @Override
    void begin() {
      chat.begin();
    }

    @Override
    void answer(ProcessingResponse response, long now) {
      chat.answered(response, now);
    }

    @Override
    void fail(String why) {
      over = true;
      chat.failed(why);
    }

    @Override
    public void send(int step) {
      send(exchange[step]);
    }

    @Override
    public void close() {
      finish();
    }
  }

  /** One {@link StreamedChat} on a stream of a lean connection. */
  private final class StreamedExchange extends ExtProcH2Connection.Call
      implements StreamedChat.Wire {
    private final StreamedChat chat;

    StreamedExchange(ExtProcStreamRun run, int window) {
      this.chat = new StreamedChat(run, window, this);
    }

    @Override
    void begin() {
      send(exchange[0]);
    }

    @Override
    void answer(ProcessingResponse response, long now) {
      chat.answered(now);
    }

    @Override
    void fail(String why) {
      over = true;
      chat.failed(why);
    }

    @Override
    public void requestBody() {
      send(streamRequestBody);
    }

    @Override
    public void responseHeaders() {
      send(streamResponseHeaders);
    }

    @Override
    public void chunk() {
      send(streamChunk);
    }

    @Override
    public void endOfBody() {
      send(streamEnd);
    }

    @Override
    public void close() {
      finish();
    }
  }

  @Override
  public ExtProcLoad.StreamResult streaming(int streams, int window, double seconds) {
    ExtProcStreamRun run = new ExtProcStreamRun(streams, seconds);
    for (int i = 0; i < streams; i++) {
      ExtProcH2Connection connection = connections.get(i % connections.size());
      StreamedExchange call = new StreamedExchange(run, window);
      connection.loop.execute(
          () -> {
            connection.open(call);
            connection.flush();
          });
    }
    return run.result(messages.streamChunkBytes);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
