package io.aigw.bench;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * The load generator of the ExtProc benchmark: grpc-java over a fixed pool of persistent HTTP/2
 * connections, one {@code Process} stream per exchange, as Envoy runs ext_proc (a new stream per
 * HTTP request on an established connection). Open loop: exchange {@code i} is due at {@code begin
 * + i / rate}; its latency counts from that due time, so a late generator or a queueing server
 * shows up in the numbers instead of slowing the schedule (no coordinated omission).
 */
final class ExtProcLoad implements ExtProcGenerator {

  private static final MethodDescriptor<ProcessingRequest, ProcessingResponse> PROCESS =
      ExternalProcessorGrpc.getProcessMethod();

  /**
   * Beyond this many exchanges in flight the server is saturated (at 50,000/s and 1 ms that is 50
   * in flight): the run stops scheduling. Piling up more only measures collapse: with tens of
   * thousands of open streams every HTTP/2 writability change walks all of them.
   */
  static final long MAX_IN_FLIGHT = 2_000;

  private final List<ManagedChannel> channels;
  private final ProcessingRequest[] exchange;
  private final ExtProcWorkload.Messages messages;

  ExtProcLoad(String host, int port, int connections, ExtProcWorkload.Messages messages) {
    this.messages = messages;
    this.exchange =
        new ProcessingRequest[] {
          messages.requestHeaders,
          messages.requestBody,
          messages.responseHeaders,
          messages.responseBody
        };
    this.channels =
        IntStream.range(0, connections)
            .mapToObj(
                i ->
                    (ManagedChannel)
                        NettyChannelBuilder.forAddress(host, port)
                            .usePlaintext()
                            .directExecutor()
                            // Envoy does not retry ext_proc streams; retry buffering costs per call
                            .disableRetry()
                            .maxInboundMessageSize(64 * 1024 * 1024)
                            .build())
            .toList();
  }

  @Override
  public void connect() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ManagedChannel channel : channels) {
      while (channel.getState(true) != ConnectivityState.READY) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("ExtProc did not accept a connection within 10 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  /** What one open-loop run measured; latencies in nanoseconds. */
  record RunResult(
      int target,
      double achieved,
      long completed,
      long failed,
      long invalid,
      boolean saturated,
      String firstFailure,
      Histogram added,
      Histogram roundTrips,
      Histogram lag) {}

  @Override
  public RunResult openLoop(int rate, double seconds) {
    ExtProcRun run = new ExtProcRun();
    long total = (long) (rate * seconds);
    long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
    boolean saturated = false;
    long sent = 0;
    for (; sent < total; sent++) {
      long due = begin + sent * 1_000_000_000L / rate;
      pace(due);
      if (sent - run.finished() > MAX_IN_FLIGHT) {
        saturated = true;
        break;
      }
      new Exchange(channels.get((int) (sent % channels.size())), due, run).start();
    }
    return run.result(rate, seconds, total, sent, begin, saturated);
  }

  /**
   * Parks until shortly before {@code due}, then spins: parking alone overshoots by the kernel's
   * timer slack (~50 µs), which would be charged to every exchange.
   */
  private static void pace(long due) {
    long gap = due - System.nanoTime();
    if (gap > 80_000) {
      LockSupport.parkNanos(gap - 60_000);
    }
    while (System.nanoTime() < due) {
      Thread.onSpinWait();
    }
  }

  /**
   * One buffered exchange on its own stream: each message is sent when the previous answer came, as
   * Envoy does in buffered mode. Callbacks and the first send may run on different threads, so the
   * call is touched under this object's lock (uncontended in practice).
   */
  private final class Exchange extends ClientCall.Listener<ProcessingResponse>
      implements BufferedChat.Wire {
    private final ClientCall<ProcessingRequest, ProcessingResponse> call;
    private final BufferedChat chat;
    private boolean over;

    Exchange(ManagedChannel channel, long due, ExtProcRun run) {
      this.call = channel.newCall(PROCESS, CallOptions.DEFAULT);
      this.chat = new BufferedChat(due, exchange.length, run, this);
    }

    synchronized void start() {
      call.start(this, new Metadata());
      call.request(exchange.length);
      chat.begin();
    }

    @Override
    public synchronized void onMessage(ProcessingResponse response) {
      chat.answered(response, System.nanoTime());
    }

    @Override
    public synchronized void onClose(Status status, Metadata trailers) {
      if (!over) {
        over = true;
        chat.failed(status.toString());
      }
    }

    @Override
    public void send(int step) {
      call.sendMessage(exchange[step]);
    }

    @Override
    public void close() {
      over = true;
      call.halfClose();
    }
  }

  /** What a streaming run measured. */
  record StreamResult(
      int streams, long chunks, double seconds, int chunkBytes, long failed, Histogram chunkRtt) {
    double chunksPerSecond() {
      return chunks / seconds;
    }

    double megabytesPerSecond() {
      return chunks * (double) chunkBytes / seconds / 1e6;
    }
  }

  /**
   * {@code streams} streamed chat completions at once, each pushing SSE chunks for {@code seconds}
   * with up to {@code window} chunks awaiting their answer (Envoy forwards streamed chunks without
   * waiting for the previous answer).
   */
  @Override
  public StreamResult streaming(int streams, int window, double seconds) {
    ExtProcStreamRun run = new ExtProcStreamRun(streams, seconds);
    for (int i = 0; i < streams; i++) {
      new StreamedExchange(channels.get(i % channels.size()), run, window).start();
    }
    return run.result(messages.streamChunkBytes);
  }

  /** One {@link StreamedChat} on a grpc-java call. */
  private final class StreamedExchange extends ClientCall.Listener<ProcessingResponse>
      implements StreamedChat.Wire {
    private final ClientCall<ProcessingRequest, ProcessingResponse> call;
    private final StreamedChat chat;
    private boolean over;

    StreamedExchange(ManagedChannel channel, ExtProcStreamRun run, int window) {
      this.call = channel.newCall(PROCESS, CallOptions.DEFAULT);
      this.chat = new StreamedChat(run, window, this);
    }

    synchronized void start() {
      call.start(this, new Metadata());
      call.request(Integer.MAX_VALUE);
      call.sendMessage(messages.requestHeaders);
    }

    @Override
    public synchronized void onMessage(ProcessingResponse response) {
      chat.answered(System.nanoTime());
    }

    @Override
    public synchronized void onClose(Status status, Metadata trailers) {
      if (!over) {
        over = true;
        chat.failed(status.toString());
      }
    }

    @Override
    public void requestBody() {
      call.sendMessage(messages.streamRequestBody);
    }

    @Override
    public void responseHeaders() {
      call.sendMessage(messages.streamResponseHeaders);
    }

    @Override
    public void chunk() {
      call.sendMessage(messages.streamChunk);
    }

    @Override
    public void endOfBody() {
      call.sendMessage(messages.streamEnd);
    }

    @Override
    public void close() {
      over = true;
      call.halfClose();
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
