package io.aigw.bench;

import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A burst of chat requests with large bodies at a running ExtProc, all at once, as Envoy sends
 * them: request headers (with {@code content-length}), then, once those are answered, the body in
 * one message. Prints how each exchange ended: forwarded, answered at once (with its status), a
 * gRPC error, or no answer within a minute.
 *
 * <p>{@code LargeBodiesBurst PORT STREAMS BODY_BYTES [ROUNDS]}
 */
public final class LargeBodiesBurst {

  private LargeBodiesBurst() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int streams = Integer.parseInt(args[1]);
    int bytes = Integer.parseInt(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    // the ExtProc benchmark's chat request, of the size asked for
    ProcessingRequest body =
        ExtProcWorkload.Messages.body(ExtProcWorkload.Messages.chat(bytes), true, true);
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
            .maxInboundMessageSize(128 << 20)
            .build();
    try {
      for (int round = 1; round <= rounds; round++) {
        long start = System.nanoTime();
        Map<String, Integer> outcomes = burst(channel, streams, body);
        System.out.printf(
            "round %d: %d streams of %d bytes in %d ms: %s%n",
            round, streams, bytes, (System.nanoTime() - start) / 1_000_000, outcomes);
      }
    } finally {
      channel.shutdownNow();
    }
  }

  private static Map<String, Integer> burst(
      ManagedChannel channel, int streams, ProcessingRequest body) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(streams);
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    for (int i = 0; i < streams; i++) {
      exchange(
          channel,
          body,
          outcome -> {
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            done.countDown();
          });
    }
    boolean all = done.await(60, TimeUnit.SECONDS);
    Map<String, Integer> counted = new TreeMap<>();
    outcomes.forEach((k, v) -> counted.put(k, v.get()));
    if (!all) {
      counted.put("no answer", (int) done.getCount());
    }
    return counted;
  }

  private static void exchange(
      ManagedChannel channel, ProcessingRequest body, Consumer<String> ended) {
    AtomicInteger answers = new AtomicInteger();
    @SuppressWarnings("unchecked")
    StreamObserver<ProcessingRequest>[] requests = new StreamObserver[1];
    requests[0] =
        ExternalProcessorGrpc.newStub(channel)
            .process(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ProcessingResponse answer) {
                    if (answers.incrementAndGet() == 1 && answer.hasRequestHeaders()) {
                      requests[0].onNext(body);
                      return;
                    }
                    ended.accept(
                        answer.hasImmediateResponse()
                            ? "answered " + answer.getImmediateResponse().getStatus().getCodeValue()
                            : answer.hasRequestBody()
                                ? "forwarded"
                                : answer.getResponseCase().name());
                    requests[0].onCompleted();
                  }

                  @Override
                  public void onError(Throwable t) {
                    ended.accept("gRPC " + Status.fromThrowable(t).getCode());
                  }

                  @Override
                  public void onCompleted() {
                    // the outcome was taken from the last answer
                  }
                });
    Map<String, String> headers = new TreeMap<>();
    headers.put(":method", "POST");
    headers.put(":path", "/v1/chat/completions");
    headers.put(":authority", "gateway.local");
    headers.put("content-type", "application/json");
    headers.put("content-length", Integer.toString(body.getRequestBody().getBody().size()));
    requests[0].onNext(ExtProcWorkload.Messages.headers(true, headers));
  }
}
