package io.aigw.bench;

import com.google.protobuf.ByteString;
import io.aigw.core.filterconfig.ApiSchema;
import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.core.filterconfig.LlmRequestCost;
import io.aigw.core.filterconfig.Rule;
import io.aigw.core.filterconfig.RuleBackend;
import io.aigw.extproc.auth.SecretCredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.server.ExtProcServer;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the ExtProc over real gRPC on loopback, in one JVM with the server (2-core
 * box: generator and server share the cores). An exchange is the four messages of a buffered chat
 * request on one stream: request headers, a 2 KiB chat body, response headers, a 1 KiB response
 * body with usage (cost rules incl. CEL are configured, so metadata is computed). Reports, for
 * fixed open-loop rates, the p50/p99/p99.9 of the time added per exchange (sum of the four message
 * round trips), the open-loop maximum, and streaming throughput.
 *
 * <p>Run: {@code mvn -B -q -pl test -am -DskipTests install} then {@code cd test && mvn -B -q
 * exec:java -Dexec.mainClass=io.aigw.bench.ExtProcBenchmark} (args: seconds per run, default 10).
 */
public final class ExtProcBenchmark {

  static final ServiceMethod<ProcessingResponse, ProcessingRequest> PROCESS =
      ServiceMethod.client(
          ServiceName.create("envoy.service.ext_proc.v3.ExternalProcessor"),
          "Process",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ProcessingResponse.newBuilder()));

  private ExtProcBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ExtProcMetrics metrics = new ExtProcMetrics();
    ExtProcServer server =
        ExtProcServer.start(
                serverVertx,
                ExtProcServer.Options.onPort(0).withHost("127.0.0.1").withInstances(2),
                new SecretCredentialSource((ns, name, key) -> Optional.of("sk-bench")),
                metrics)
            .await();
    server.update(List.of(config()));
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    Messages messages = new Messages();
    List<GrpcClient> clients =
        List.of(client(clientVertx), client(clientVertx), client(clientVertx), client(clientVertx));
    System.out.printf(
        "ExtProc benchmark: %d s per run, %d cores%n",
        seconds, Runtime.getRuntime().availableProcessors());
    closedLoop(clientVertx, clients, address, messages, 64, 15, "warm-up");
    for (int rate : new int[] {1_000, 5_000, 10_000}) {
      openLoop(clientVertx, clients, address, messages, rate, seconds);
    }
    closedLoop(
        clientVertx, clients, address, messages, 256, seconds, "open-loop maximum (256 in flight)");
    streaming(clientVertx, clients, address, messages, 32, seconds);
    System.out.println();
    metrics
        .scrape()
        .lines()
        .filter(
            l ->
                l.startsWith("aigw_extproc_phase_duration_seconds_count")
                    || l.startsWith("aigw_extproc_phase_duration_seconds_sum"))
        .forEach(System.out::println);
    clients.forEach(c -> c.close().await());
    server.close().await();
    clientVertx.close().await();
    serverVertx.close().await();
  }

  private static GrpcClient client(Vertx vertx) {
    return GrpcClient.client(vertx);
  }

  public static FilterConfig config() {
    CredentialFile key =
        new CredentialFile(
            "/etc/secrets/key", new CredentialFile.SecretKeyRef("default", "openai", "apiKey"));
    return FilterConfig.of(
        "default",
        "chat",
        List.of(),
        List.of(
            new Rule(
                "rule/0",
                List.of(
                    new Rule.Match(
                        List.of(
                            new Rule.HeaderMatch(
                                "x-ai-eg-model", Rule.MatchType.Exact, "gpt-4o-mini")))),
                List.of(new RuleBackend("openai.default", 1, 0, null, null, null)))),
        List.of(
            new Backend(
                "openai.default",
                new ApiSchema(ApiSchema.Name.OpenAI, null, "v1"),
                new BackendAuth.ApiKey(key),
                null)),
        List.of(
            new LlmRequestCost("used_token", LlmRequestCost.Type.InputToken, null),
            new LlmRequestCost(
                "cost", LlmRequestCost.Type.CEL, "input_tokens * uint(3) + output_tokens")),
        List.of());
  }

  /** The messages of one exchange, built once. */
  public static final class Messages {
    final ProcessingRequest requestHeaders =
        headers(
            true,
            Map.of(
                ":method",
                "POST",
                ":path",
                "/v1/chat/completions",
                ":authority",
                "gw",
                "content-type",
                "application/json"));
    final ProcessingRequest requestBody;
    final ProcessingRequest streamRequestBody;
    final ProcessingRequest responseHeaders =
        headers(false, Map.of(":status", "200", "content-type", "application/json"));
    final ProcessingRequest streamResponseHeaders =
        headers(false, Map.of(":status", "200", "content-type", "text/event-stream"));
    final ProcessingRequest responseBody;
    final ProcessingRequest streamChunk;
    final ProcessingRequest streamEnd;
    final int streamChunkBytes;

    public Messages() {
      String filler = "x".repeat(2048 - 120);
      String chat =
          "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
              + filler
              + "\"}]}";
      requestBody = body(chat, true, true);
      streamRequestBody =
          body(chat.replace("{\"model\"", "{\"stream\":true,\"model\""), true, true);
      String answer = "y".repeat(1024 - 330);
      responseBody =
          body(
              "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                  + answer
                  + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":512,\"completion_tokens\":128,\"total_tokens\":640}}",
              true,
              false);
      String event =
          "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token\"}}],\"usage\":null}\n\n";
      String chunk = event.repeat(4);
      streamChunkBytes = chunk.length();
      streamChunk = body(chunk, false, false);
      streamEnd =
          body(
              "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"total_tokens\":14}}\n\ndata: [DONE]\n\n",
              true,
              false);
    }

    private static ProcessingRequest headers(boolean request, Map<String, String> headers) {
      HeaderMap.Builder map = HeaderMap.newBuilder();
      headers.forEach(
          (k, v) ->
              map.addHeaders(
                  HeaderValue.newBuilder().setKey(k).setRawValue(ByteString.copyFromUtf8(v))));
      HttpHeaders h = HttpHeaders.newBuilder().setHeaders(map).build();
      return request
          ? ProcessingRequest.newBuilder().setRequestHeaders(h).build()
          : ProcessingRequest.newBuilder().setResponseHeaders(h).build();
    }

    private static ProcessingRequest body(String text, boolean end, boolean request) {
      HttpBody b =
          HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(text)).setEndOfStream(end).build();
      return request
          ? ProcessingRequest.newBuilder().setRequestBody(b).build()
          : ProcessingRequest.newBuilder().setResponseBody(b).build();
    }
  }

  /** One ext_proc stream: send a message, get its answer. */
  static final class Stream {
    private final Deque<Promise<ProcessingResponse>> waiting = new ArrayDeque<>();
    private GrpcClientRequest<ProcessingRequest, ProcessingResponse> request;

    static Future<Stream> open(GrpcClient client, SocketAddress address) {
      Stream stream = new Stream();
      return client
          .request(address, PROCESS)
          .map(
              req -> {
                stream.request = req;
                req.response()
                    .onSuccess(resp -> resp.handler(m -> stream.waiting.poll().complete(m)))
                    .onFailure(stream::fail);
                return stream;
              });
    }

    private void fail(Throwable t) {
      Promise<ProcessingResponse> p;
      while ((p = waiting.poll()) != null) {
        p.fail(t);
      }
    }

    Future<ProcessingResponse> send(ProcessingRequest message) {
      Promise<ProcessingResponse> promise = Promise.promise();
      waiting.add(promise);
      request.write(message);
      return promise.future();
    }

    void end() {
      request.end();
    }
  }

  /** One buffered exchange; completes with the nanoseconds spent waiting for answers. */
  public static Future<Long> exchange(GrpcClient client, SocketAddress address, Messages m) {
    long[] waited = new long[1];
    return Stream.open(client, address)
        .compose(
            s ->
                timed(s, m.requestHeaders, waited)
                    .compose(r -> timed(s, m.requestBody, waited))
                    .compose(r -> timed(s, m.responseHeaders, waited))
                    .compose(r -> timed(s, m.responseBody, waited))
                    .map(
                        r -> {
                          if (!r.hasDynamicMetadata()) {
                            throw new IllegalStateException("no metadata: " + r);
                          }
                          s.end();
                          return waited[0];
                        }));
  }

  private static Future<ProcessingResponse> timed(
      Stream s, ProcessingRequest message, long[] waited) {
    long start = System.nanoTime();
    return s.send(message)
        .map(
            r -> {
              waited[0] += System.nanoTime() - start;
              return r;
            });
  }

  private static void openLoop(
      Vertx vertx,
      List<GrpcClient> clients,
      SocketAddress address,
      Messages m,
      int rate,
      int seconds) {
    int total = rate * seconds;
    long[] added = new long[total];
    long[] wall = new long[total];
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Promise<Void> finished = Promise.promise();
    long begin = System.nanoTime();
    long periodNanos = 1_000_000_000L / rate;
    AtomicLong started = new AtomicLong();
    vertx.setPeriodic(
        1,
        id -> {
          long due = Math.min(total, (System.nanoTime() - begin) / periodNanos + 1);
          while (started.get() < due) {
            int i = (int) started.getAndIncrement();
            long scheduled = begin + i * periodNanos;
            exchange(clients.get(i % clients.size()), address, m)
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        added[i] = ar.result();
                        wall[i] = System.nanoTime() - scheduled;
                      } else {
                        failed.incrementAndGet();
                        added[i] = Long.MAX_VALUE;
                        wall[i] = Long.MAX_VALUE;
                      }
                      if (done.incrementAndGet() == total) {
                        finished.complete();
                      }
                    });
          }
          if (started.get() >= total) {
            vertx.cancelTimer(id);
          }
        });
    finished.future().await();
    double elapsed = (System.nanoTime() - begin) / 1e9;
    System.out.printf(
        "rate %,6d/s: achieved %,8.0f/s, failed %d | added per exchange p50 %s p99 %s p99.9 %s | schedule-to-done p50 %s p99 %s p99.9 %s%n",
        rate,
        total / elapsed,
        failed.get(),
        us(added, 0.50),
        us(added, 0.99),
        us(added, 0.999),
        us(wall, 0.50),
        us(wall, 0.99),
        us(wall, 0.999));
  }

  private static void closedLoop(
      Vertx vertx,
      List<GrpcClient> clients,
      SocketAddress address,
      Messages m,
      int window,
      int seconds,
      String label) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong completed = new AtomicLong();
    long[] samples = new long[2_000_000];
    AtomicInteger sampleCount = new AtomicInteger();
    Promise<Void> finished = Promise.promise();
    AtomicInteger active = new AtomicInteger(window);
    long begin = System.nanoTime();
    for (int w = 0; w < window; w++) {
      GrpcClient client = clients.get(w % clients.size());
      ClosedLoop state =
          new ClosedLoop(address, m, end, completed, samples, sampleCount, active, finished);
      vertx.runOnContext(v -> loop(client, state));
    }
    finished.future().await();
    double elapsed = (System.nanoTime() - begin) / 1e9;
    long[] taken = Arrays.copyOf(samples, Math.min(sampleCount.get(), samples.length));
    System.out.printf(
        "%s: %,.0f exchanges/s | added per exchange p50 %s p99 %s p99.9 %s%n",
        label, completed.get() / elapsed, us(taken, 0.5), us(taken, 0.99), us(taken, 0.999));
  }

  /** What every in-flight slot of a closed loop shares. */
  private record ClosedLoop(
      SocketAddress address,
      Messages m,
      long end,
      AtomicLong completed,
      long[] samples,
      AtomicInteger count,
      AtomicInteger active,
      Promise<Void> finished) {}

  private static void loop(GrpcClient client, ClosedLoop s) {
    if (System.nanoTime() >= s.end()) {
      if (s.active().decrementAndGet() == 0) {
        s.finished().tryComplete();
      }
      return;
    }
    exchange(client, s.address(), s.m())
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                s.completed().incrementAndGet();
                int i = s.count().getAndIncrement();
                if (i < s.samples().length) {
                  s.samples()[i] = ar.result();
                }
              }
              loop(client, s);
            });
  }

  private static void streaming(
      Vertx vertx,
      List<GrpcClient> clients,
      SocketAddress address,
      Messages m,
      int streams,
      int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong chunks = new AtomicLong();
    AtomicInteger active = new AtomicInteger(streams);
    Promise<Void> finished = Promise.promise();
    long begin = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      GrpcClient client = clients.get(i % clients.size());
      vertx.runOnContext(
          v ->
              Stream.open(client, address)
                  .compose(
                      s ->
                          s.send(m.requestHeaders)
                              .compose(r -> s.send(m.streamRequestBody))
                              .compose(r -> s.send(m.streamResponseHeaders))
                              .compose(r -> pump(s, m, end, chunks))
                              .compose(r -> s.send(m.streamEnd))
                              .onComplete(ar -> s.end()))
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          ar.cause().printStackTrace();
                        }
                        if (active.decrementAndGet() == 0) {
                          finished.tryComplete();
                        }
                      }));
    }
    finished.future().await();
    double elapsed = (System.nanoTime() - begin) / 1e9;
    System.out.printf(
        "streaming (%d streams, %d-byte SSE chunks of 4 events): %,.0f chunks/s, %.1f MB/s%n",
        streams,
        m.streamChunkBytes,
        chunks.get() / elapsed,
        chunks.get() * (double) m.streamChunkBytes / elapsed / 1e6);
  }

  private static Future<ProcessingResponse> pump(
      Stream s, Messages m, long end, AtomicLong chunks) {
    return s.send(m.streamChunk)
        .compose(
            r -> {
              chunks.incrementAndGet();
              return System.nanoTime() >= end ? Future.succeededFuture(r) : pump(s, m, end, chunks);
            });
  }

  private static String us(long[] values, double quantile) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return "n/a";
    }
    long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    return v == Long.MAX_VALUE ? "failed" : String.format("%.0f µs", v / 1000.0);
  }
}
