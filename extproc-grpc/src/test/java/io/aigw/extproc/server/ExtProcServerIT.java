package io.aigw.extproc.server;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.COMPLETION_BODY;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.responseBody;
import static io.aigw.extproc.processor.Exchanges.responseHeaders;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.auth.CredentialSource;
import io.aigw.extproc.metrics.ExtProcMetrics;
import io.aigw.extproc.processor.Exchanges;
import io.aigw.extproc.translate.openai.OpenAiJson;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.ManagedChannel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExtProcServerIT {

  private Vertx vertx;
  private ExtProcServer server;
  private ManagedChannel channel;
  private final ExtProcMetrics metrics = new ExtProcMetrics();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    CredentialSource credentials = file -> Optional.of("sk-it");
    server =
        ExtProcServer.start(
                vertx,
                ExtProcServer.Options.onPort(0).withHost("127.0.0.1").withInstances(2),
                credentials,
                metrics)
            .await();
    channel = GrpcExchange.channel(server.port());
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close().await();
    vertx.close().await();
  }

  @Test
  void servesAWholeExchangeOverGrpc() throws Exception {
    server.update(List.of(Exchanges.chatRoute()));
    try (GrpcExchange exchange = new GrpcExchange(channel)) {
      assertThat(exchange.send(requestHeaders("/v1/chat/completions")).hasRequestHeaders())
          .isTrue();
      ProcessingResponse body = exchange.send(requestBody(CHAT));
      assertThat(setHeaders(body.getRequestBody().getResponse().getHeaderMutation()))
          .containsEntry("x-ai-eg-selected-backend", "openai.default")
          .containsEntry("authorization", "Bearer sk-it");
      exchange.send(responseHeaders(200, "application/json"));
      ProcessingResponse end = exchange.send(responseBody(COMPLETION_BODY, true));
      assertThat(
              end.getDynamicMetadata()
                  .getFieldsOrThrow("io.envoy.ai_gateway")
                  .getStructValue()
                  .getFieldsOrThrow("used_token")
                  .getNumberValue())
          .isEqualTo(13);
      assertThat(exchange.finish()).isEqualTo("completed");
    }
    assertThat(metrics.scrape()).contains("aigw_extproc_requests_total{backend=\"default/openai\"");
  }

  @Test
  void endsTheCallWithTheLastAnswerAndCountsTheExchangeOnce() throws Exception {
    server.update(List.of(Exchanges.chatRoute()));
    try (GrpcExchange exchange = new GrpcExchange(channel)) {
      exchange.send(requestHeaders("/v1/chat/completions"));
      exchange.send(requestBody(CHAT));
      exchange.send(responseHeaders(200, "application/json"));
      assertThat(exchange.awaitEnd(300)).as("open while Envoy still has phases to send").isNull();
      assertThat(exchange.send(responseBody(COMPLETION_BODY, true)).hasDynamicMetadata()).isTrue();
      // Envoy half-closes only after reading the last answer; the server does not wait for it
      assertThat(exchange.awaitEnd(10_000)).isEqualTo("completed");
    }
    assertThat(metrics.scrape())
        .containsPattern("aigw_extproc_requests_total\\{[^}]*status=\"200\"[^}]*\\} 1\\.0")
        .doesNotContain("status=\"499\"");
  }

  @Test
  void endsTheCallWithAnImmediateResponse() throws Exception {
    server.update(List.of(Exchanges.chatRoute()));
    try (GrpcExchange exchange = new GrpcExchange(channel)) {
      ProcessingResponse refused = exchange.send(requestHeaders("/v1/unknown"));
      assertThat(refused.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(400);
      assertThat(exchange.awaitEnd(10_000)).isEqualTo("completed");
    }
  }

  /** The headers the answer to the chat request's body sets. */
  private static java.util.Map<String, String> routedHeaders(GrpcExchange exchange)
      throws InterruptedException {
    return setHeaders(
        exchange.send(requestBody(CHAT)).getRequestBody().getResponse().getHeaderMutation());
  }

  @Test
  void aStreamInFlightFinishesWhileTheServerStops() throws Exception {
    server.update(List.of(Exchanges.chatRoute()));
    try (GrpcExchange inFlight = new GrpcExchange(channel)) {
      inFlight.send(requestHeaders("/v1/chat/completions"));
      // a rolling update stops the ExtProc while a completion is on its way
      var stopping = server.close();
      assertThat(routedHeaders(inFlight))
          .containsEntry("x-ai-eg-selected-backend", "openai.default");
      inFlight.send(responseHeaders(200, "application/json"));
      assertThat(inFlight.send(responseBody(COMPLETION_BODY, true)).hasDynamicMetadata()).isTrue();
      assertThat(inFlight.awaitEnd(10_000)).isEqualTo("completed");
      stopping.await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(server.streamsCut()).isZero();
  }

  @Test
  void aStreamStillOpenWhenTheGraceRunsOutIsCutAndCounted() throws Exception {
    ExtProcServer brief =
        ExtProcServer.start(
                vertx,
                ExtProcServer.Options.onPort(0)
                    .withHost("127.0.0.1")
                    .withShutdownGrace(java.time.Duration.ofMillis(300)),
                file -> Optional.of("sk-it"),
                metrics)
            .await();
    brief.update(List.of(Exchanges.chatRoute()));
    ManagedChannel briefChannel = GrpcExchange.channel(brief.port());
    try (GrpcExchange finished = new GrpcExchange(briefChannel);
        GrpcExchange hanging = new GrpcExchange(briefChannel)) {
      finished.send(requestHeaders("/v1/chat/completions"));
      finished.send(requestBody(CHAT));
      finished.send(responseHeaders(200, "application/json"));
      finished.send(responseBody(COMPLETION_BODY, true));
      assertThat(finished.awaitEnd(10_000)).isEqualTo("completed");
      // a completion whose answer never comes before the pod must go
      hanging.send(requestHeaders("/v1/chat/completions"));
      brief.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(hanging.awaitEnd(10_000)).isInstanceOf(Throwable.class);
    } finally {
      briefChannel.shutdownNow();
    }
    assertThat(brief.streamsCut()).isEqualTo(1);
  }

  @Test
  void aStreamFinishesWithTheTableItStartedWith() throws Exception {
    server.update(List.of(Exchanges.chatRoute()));
    try (GrpcExchange inFlight = new GrpcExchange(channel)) {
      inFlight.send(requestHeaders("/v1/chat/completions"));
      // swapped before the body is routed: a processor that looked the route up in the current
      // table would find no rule and refuse the request
      FilterConfig renamed =
          FilterConfig.of("other", "chat2", List.of(), List.of(), List.of(), List.of(), List.of());
      assertThat(server.replaceIfValid(List.of(renamed))).isEmpty();
      assertThat(routedHeaders(inFlight))
          .containsEntry("x-ai-eg-selected-backend", "openai.default");
      inFlight.send(responseHeaders(200, "application/json"));
      ProcessingResponse end = inFlight.send(responseBody(COMPLETION_BODY, true));
      assertThat(
              end.getDynamicMetadata()
                  .getFieldsOrThrow("io.envoy.ai_gateway")
                  .getStructValue()
                  .getFieldsOrThrow("route_name")
                  .getStringValue())
          .isEqualTo("default/chat");
    }
    try (GrpcExchange next = new GrpcExchange(channel)) {
      next.send(requestHeaders("/v1/chat/completions"));
      assertThat(next.send(requestBody(CHAT)).getImmediateResponse().getStatus().getCodeValue())
          .isEqualTo(404);
    }
  }

  @Test
  void acceptsARequestBodyOfFiftyMebibytes() throws Exception {
    server.update(List.of(Exchanges.chatRoute()));
    int filler = OpenAiJson.MAX_BODY_BYTES - CHAT.length() + "Hi".length();
    String big = CHAT.replace("\"Hi\"", "\"" + "x".repeat(filler) + "\"");
    assertThat(big).hasSize(OpenAiJson.MAX_BODY_BYTES);
    try (GrpcExchange exchange = new GrpcExchange(channel)) {
      exchange.send(requestHeaders("/v1/chat/completions"));
      ProcessingResponse body = exchange.send(requestBody(big));
      assertThat(body.getRequestBody().getResponse().getClearRouteCache()).isTrue();
    }
  }

  @Test
  void anInvalidConfigIsRefusedAsAWholeAndTheOldTableStays() {
    server.update(List.of(Exchanges.chatRoute()));
    FilterConfig broken =
        FilterConfig.of(
            "d",
            "broken",
            List.of(),
            List.of(Exchanges.modelRule("r", "m", Exchanges.ref("missing.d", 1, 0))),
            List.of(),
            List.of(),
            List.of());
    assertThat(server.replaceIfValid(List.of(Exchanges.chatRoute(), broken))).hasSize(1);
    assertThat(server.routingTable().routes()).hasSize(1);
    assertThat(server.update(List.of(Exchanges.chatRoute(), broken))).hasSize(1);
    assertThat(server.routingTable().routes())
        .extracting(r -> r.ref())
        .containsExactly("default/chat");
  }

  @Test
  void healthSaysServingOnceConfiguredAndNotFoundForUnknownServices() {
    GrpcClient client = GrpcClient.client(vertx);
    ServiceMethod<Buffer, Buffer> check =
        ServiceMethod.client(
            HealthService.SERVICE,
            "Check",
            GrpcMessageEncoder.IDENTITY,
            GrpcMessageDecoder.IDENTITY);
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    try {
      assertThat(call(client, address, check, "").getBytes()).containsExactly(0x08, 2);
      server.update(List.of(Exchanges.chatRoute()));
      assertThat(call(client, address, check, "").getBytes()).containsExactly(0x08, 1);
      byte[] named = "envoy.service.ext_proc.v3.ExternalProcessor".getBytes();
      byte[] request = new byte[named.length + 2];
      request[0] = 10;
      request[1] = (byte) named.length;
      System.arraycopy(named, 0, request, 2, named.length);
      assertThat(call(client, address, check, request).getBytes()).containsExactly(0x08, 1);
      String status =
          client
              .request(address, check)
              .compose(
                  req -> {
                    req.end(Buffer.buffer(new byte[] {10, 3, 'f', 'o', 'o'}));
                    return req.response();
                  })
              .map(resp -> resp.status().name())
              .recover(err -> io.vertx.core.Future.succeededFuture("error"))
              .await();
      assertThat(status).isEqualTo("NOT_FOUND");
    } finally {
      client.close().await();
    }
  }

  @Test
  void listNamesTheExtProcAndAStoppingServerSaysNotServingWhileItServes() throws Exception {
    GrpcClient client = GrpcClient.client(vertx);
    ServiceMethod<Buffer, Buffer> check =
        ServiceMethod.client(
            HealthService.SERVICE,
            "Check",
            GrpcMessageEncoder.IDENTITY,
            GrpcMessageDecoder.IDENTITY);
    ServiceMethod<Buffer, Buffer> list =
        ServiceMethod.client(
            HealthService.SERVICE,
            "List",
            GrpcMessageEncoder.IDENTITY,
            GrpcMessageDecoder.IDENTITY);
    SocketAddress address = SocketAddress.inetSocketAddress(server.port(), "127.0.0.1");
    try {
      server.update(List.of(Exchanges.chatRoute()));
      // statuses {"extproc": {status: SERVING}}
      byte[] serving = {
        0x0A, 0x0D, 0x0A, 0x07, 'e', 'x', 't', 'p', 'r', 'o', 'c', 0x12, 0x02, 0x08, 1
      };
      assertThat(call(client, address, list, "").getBytes()).containsExactly(serving);

      server.stopServing();
      assertThat(call(client, address, check, "").getBytes()).containsExactly(0x08, 2);
      byte[] notServing = serving.clone();
      notServing[notServing.length - 1] = 2;
      assertThat(call(client, address, list, "").getBytes()).containsExactly(notServing);
      // and it still serves the exchanges Envoy sends until it has let go of it
      try (GrpcExchange exchange = new GrpcExchange(channel)) {
        exchange.send(requestHeaders("/v1/chat/completions"));
        assertThat(routedHeaders(exchange))
            .containsEntry("x-ai-eg-selected-backend", "openai.default");
      }
    } finally {
      client.close().await();
    }
  }

  private static Buffer call(
      GrpcClient client,
      SocketAddress address,
      ServiceMethod<Buffer, Buffer> check,
      Object request) {
    Buffer payload = request instanceof byte[] bytes ? Buffer.buffer(bytes) : Buffer.buffer();
    return client
        .request(address, check)
        .compose(req -> req.send(payload))
        .compose(resp -> resp.last())
        .await();
  }
}
