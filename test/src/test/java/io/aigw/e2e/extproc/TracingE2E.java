package io.aigw.e2e.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.tracing.Tracing;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing switched on by the standard variables: the OpenAI SDK sends requests with a W3C trace
 * context through the gateway, the ExtProc exports its spans over OTLP/HTTP to a collector on
 * loopback, and the provider sees the gateway's span as its parent.
 */
class TracingE2E {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final String BACKEND_KEY = "sk-backend-planted-4711";
  private static final String CLIENT_KEY = "sk-client-planted-0815";

  @TempDir Path dir;
  private final Vertx collectorVertx = Vertx.vertx();
  private OtlpCollector collector;
  private Tracing tracing;
  private GatewayFixture gateway;
  private FakeProvider provider;
  private OpenAIClient client;

  @BeforeEach
  void start() throws Exception {
    collector = new OtlpCollector(collectorVertx).start().await();
    tracing =
        Tracing.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                collector.endpoint(),
                // exported within 50 ms, not the SDK's 5 s
                "OTEL_BSP_SCHEDULE_DELAY",
                "50"),
            HeaderAttributes.parse(HeaderAttributes.DEFAULT));
    Files.writeString(dir.resolve("openai-key"), BACKEND_KEY + "\n");
    gateway = tracedGateway(dir, tracing);
    provider = gateway.provider("openai.default");
    client =
        OpenAIOkHttpClient.builder()
            .baseUrl(gateway.baseUrl())
            .apiKey(CLIENT_KEY)
            .maxRetries(0)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
    tracing.close();
    collector.close().await();
    collectorVertx.close().await();
  }

  /**
   * A gateway with its files in {@code directory}, tracing with {@code tracing}: route {@code
   * default/chat} sends the model to {@code openai.default}, with the key the set-up wrote.
   */
  private GatewayFixture tracedGateway(Path directory, Tracing tracing) throws Exception {
    FilterConfig config =
        GatewayFixture.route(
            "chat",
            List.of(
                GatewayFixture.rule(
                    GatewayFixture.MODEL, GatewayFixture.ref("openai.default", 1, 0))),
            List.of(GatewayFixture.backend("openai.default", dir.resolve("openai-key"))));
    return new GatewayFixture(directory, config, tracing.tracer());
  }

  private static ChatCompletionCreateParams.Builder hello(String traceparent) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(GatewayFixture.MODEL)
            .addUserMessage("Hello!")
            .putAdditionalHeader("agent-session-id", "session-7");
    return traceparent == null ? params : params.putAdditionalHeader("traceparent", traceparent);
  }

  private OtlpCollector.Exported onlySpan() throws InterruptedException {
    await().atMost(Duration.ofSeconds(10)).until(() -> !collector.spans.isEmpty());
    // a second span would be exported within the batch delay (50 ms) of the first
    Thread.sleep(300);
    assertThat(collector.spans).hasSize(1);
    return collector.spans.get(0);
  }

  @Test
  void aBufferedChatIsOneSpanInTheClientsTraceAndTheProvidersParent() throws Exception {
    client.chat().completions().create(hello("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01").build());

    OtlpCollector.Exported span = onlySpan();
    assertThat(span.traceId()).isEqualTo(TRACE_ID);
    assertThat(span.parentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(span.name()).isEqualTo("chat gpt-5-nano");
    assertThat(span.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(span.serviceName()).isEqualTo("ai-gateway");
    assertThat(span.status().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    // the recorded answer's usage (chat-basic): 8 in, 377 out of which 320 reasoning
    assertThat(span.attributes())
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.original.model", "gpt-5-nano")
        .containsEntry("gen_ai.request.model", "gpt-5-nano")
        .containsEntry("gen_ai.response.model", "gpt-5-nano-2025-08-07")
        .containsEntry("gen_ai.usage.input_tokens", 8L)
        .containsEntry("gen_ai.usage.output_tokens", 377L)
        .containsEntry("gen_ai.usage.reasoning.output_tokens", 320L)
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("session.id", "session-7")
        .containsEntry("aigw.route", "default/chat")
        .containsEntry("aigw.backend", "default/openai")
        .doesNotContainKey("error.type");

    assertThat(provider.received.get(0).headers())
        .containsEntry("traceparent", "00-" + TRACE_ID + "-" + span.spanId() + "-01");
  }

  @Test
  void aStreamedChatsSpanEndsWithTheStreamsUsage() throws Exception {
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(hello("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01").build())) {
      stream.stream().forEach(chunk -> {});
    }

    OtlpCollector.Exported span = onlySpan();
    assertThat(span.attributes())
        .containsEntry("gen_ai.request.stream", true)
        .containsEntry("gen_ai.usage.input_tokens", 8L)
        .containsEntry("gen_ai.usage.output_tokens", 30L)
        .containsKey("gen_ai.response.time_to_first_chunk");
  }

  @Test
  void aRequestTheGatewayCannotRouteIsAnErrorSpanNamingWhy() throws Exception {
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        hello("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01")
                            .model("no-such-model")
                            .build()))
        .isInstanceOf(NotFoundException.class);

    OtlpCollector.Exported span = onlySpan();
    assertThat(span.traceId()).isEqualTo(TRACE_ID);
    assertThat(span.status().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.status().getMessage()).contains("no matching route found for model");
    assertThat(span.attributes())
        .containsEntry("error.type", "no_matching_route")
        .containsEntry("http.response.status_code", 404L);
    assertThat(provider.received).isEmpty();
  }

  @Test
  void aRequestWithoutTraceContextStartsATraceTheProviderContinues() throws Exception {
    client.chat().completions().create(hello(null).build());

    OtlpCollector.Exported span = onlySpan();
    assertThat(span.parentSpanId()).isEmpty();
    assertThat(span.traceId()).hasSize(32).isNotEqualTo("0".repeat(32));
    // sampled; a trace id the gateway made is flagged random too (W3C Trace Context level 2)
    assertThat(provider.received.get(0).headers().get("traceparent"))
        .isEqualTo("00-" + span.traceId() + "-" + span.spanId() + "-03");
  }

  @Test
  void openInferenceSpansReachTheCollectorNamedAsUpstreamNamesThemWithoutThePrompt()
      throws Exception {
    Tracing openInference =
        Tracing.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "50",
                "AI_GATEWAY_TRACING_SEMCONV", "openinference"),
            HeaderAttributes.parse(HeaderAttributes.DEFAULT));
    GatewayFixture phoenix =
        tracedGateway(Files.createDirectory(dir.resolve("openinference")), openInference);
    OpenAIClient phoenixClient =
        OpenAIOkHttpClient.builder()
            .baseUrl(phoenix.baseUrl())
            .apiKey(CLIENT_KEY)
            .maxRetries(0)
            .build();
    try {
      phoenix.provider("openai.default");
      phoenixClient.chat().completions().create(hello(null).build());
      OtlpCollector.Exported span = onlySpan();
      assertThat(span.name()).isEqualTo("ChatCompletion");
      // the recorded answer's usage (chat-basic): 8 in, 377 out
      assertThat(span.attributes())
          .containsEntry("openinference.span.kind", "LLM")
          .containsEntry("llm.system", "openai")
          .containsEntry("llm.model_name", "gpt-5-nano-2025-08-07")
          .containsEntry("llm.token_count.prompt", 8L)
          .containsEntry("llm.token_count.completion", 377L)
          .containsEntry("aigw.route", "default/chat");
      assertThat(span.attributes().keySet()).noneMatch(k -> k.startsWith("gen_ai."));
      // the prompt ("Hello!") is in no attribute
      assertThat(span.attributes().values()).noneMatch(v -> String.valueOf(v).contains("Hello!"));
    } finally {
      phoenixClient.close();
      phoenix.close();
      openInference.close();
    }
  }

  @Test
  void aCollectorThatHangsCostsTheRequestsNothing() throws Exception {
    // accepts connections and never answers: an export waits out its 10 s timeout
    try (java.net.ServerSocket hanging =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Tracing toHanging =
          Tracing.fromEnvironment(
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  "http://127.0.0.1:" + hanging.getLocalPort(),
                  "OTEL_BSP_SCHEDULE_DELAY",
                  "10"),
              HeaderAttributes.parse(HeaderAttributes.DEFAULT));
      GatewayFixture hung = tracedGateway(Files.createDirectory(dir.resolve("hung")), toHanging);
      OpenAIClient impatient =
          OpenAIOkHttpClient.builder()
              .baseUrl(hung.baseUrl())
              .apiKey(CLIENT_KEY)
              .maxRetries(0)
              // an export on the request's path would take 10 s
              .timeout(Duration.ofSeconds(3))
              .build();
      try {
        hung.provider("openai.default");
        for (int i = 0; i < 5; i++) {
          assertThat(impatient.chat().completions().create(hello(null).build()).choices())
              .isNotEmpty();
        }
      } finally {
        impatient.close();
        hung.close();
        new Thread(toHanging::close).start();
      }
    }
  }

  @Test
  void aCollectorThatIsDownCostsTheRequestsNothing() {
    collector.close().await();
    for (int i = 0; i < 3; i++) {
      assertThat(
              client
                  .chat()
                  .completions()
                  .create(hello("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01").build())
                  .choices())
          .isNotEmpty();
    }
    assertThat(provider.received).hasSize(3);
  }

  @Test
  void noCredentialLeavesTheGatewayInASpan() throws Exception {
    client.chat().completions().create(hello("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01").build());
    onlySpan();

    assertThat(collector.payloads).isNotEmpty();
    for (byte[] payload : collector.payloads) {
      String text = new String(payload, StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain(BACKEND_KEY).doesNotContain(CLIENT_KEY);
    }
    // the provider did get the backend's key: the search above looked for the right bytes
    assertThat(provider.received.get(0).headers())
        .containsEntry("authorization", "Bearer " + BACKEND_KEY);
  }
}
