package io.aigw.bench;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
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

/**
 * A burst of chat requests with large bodies at a running ExtProc, all at once, as Envoy sends
 * them: request headers (with {@code content-length}), then, once those are answered, the body in
 * one message. Prints how each exchange ended: forwarded, answered at once (with its status), a
 * gRPC error, or no answer within a minute.
 *
 * <p>{@code LargeBodiesBurst PORT STREAMS BODY_BYTES [ROUNDS]}
 */
public final class LargeBodiesBurst {

  private static final String HEAD =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"";
  private static final String TAIL = "\"}]}";

  private LargeBodiesBurst() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int streams = Integer.parseInt(args[1]);
    int bytes = Integer.parseInt(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    ByteString body =
        ByteString.copyFromUtf8(HEAD + "x".repeat(bytes - HEAD.length() - TAIL.length()) + TAIL);
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

  private static Map<String, Integer> burst(ManagedChannel channel, int streams, ByteString body)
      throws InterruptedException {
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
      ManagedChannel channel, ByteString body, java.util.function.Consumer<String> ended) {
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
                      requests[0].onNext(
                          ProcessingRequest.newBuilder()
                              .setRequestBody(
                                  HttpBody.newBuilder().setBody(body).setEndOfStream(true))
                              .build());
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
    HeaderMap.Builder headers = HeaderMap.newBuilder();
    Map<String, String> values = new TreeMap<>();
    values.put(":method", "POST");
    values.put(":path", "/v1/chat/completions");
    values.put(":authority", "gateway.local");
    values.put("content-type", "application/json");
    values.put("content-length", Integer.toString(body.size()));
    values.forEach(
        (k, v) ->
            headers.addHeaders(
                HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v))));
    requests[0].onNext(
        ProcessingRequest.newBuilder()
            .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(headers))
            .build());
  }
}
