package io.aigw.extproc.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestSpan;
import io.aigw.extproc.usage.TokenUsage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans the OpenTelemetry tracer makes, as an exporter receives them. */
class OpenTelemetryTracerTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private SdkTracerProvider provider;

  @AfterEach
  void stop() {
    provider.close();
  }

  private OpenTelemetryTracer tracer(Sampler sampler) {
    return tracer(sampler, SpanConventions.of("gen_ai"));
  }

  private OpenTelemetryTracer tracer(Sampler sampler, SpanConventions conventions) {
    provider =
        SdkTracerProvider.builder()
            .setSampler(sampler)
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    return new OpenTelemetryTracer(
        provider.get("aigw"),
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance()),
        HeaderAttributes.parse("agent-session-id:session.id,x-tenant-key:tenant"),
        conventions);
  }

  static ExchangeSummary summary(int status, TokenUsage usage) {
    return summary(status, usage, "chat");
  }

  static ExchangeSummary summary(int status, TokenUsage usage, String operation) {
    return new ExchangeSummary(
        "default/chat",
        "default/openai",
        "openai",
        operation,
        "gpt-4o-mini",
        "gpt-4o-mini-override",
        "gpt-4o-mini-2024-07-18",
        status,
        usage,
        false,
        OptionalLong.empty(),
        OptionalLong.empty(),
        1_000_000,
        io.aigw.extproc.processor.RequestHeaders.NONE);
  }

  static TokenUsage usage(long input, long output) {
    return new TokenUsage(
        OptionalLong.of(input),
        OptionalLong.of(2),
        OptionalLong.empty(),
        OptionalLong.of(output),
        OptionalLong.of(input + output),
        OptionalLong.empty());
  }

  private SpanData onlySpan() {
    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  @Test
  void aRequestsSpanIsAChildOfTheClientsAndCarriesItsStateAndBaggageOn() {
    RequestSpan span =
        tracer(Sampler.parentBased(Sampler.alwaysOn()))
            .start(
                "chat",
                "gpt-4o-mini",
                Map.of(
                    "traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01",
                    "tracestate", "vendor=1",
                    "baggage", "tenant=acme",
                    "agent-session-id", "s-7"),
                Set.of());
    span.end(summary(200, usage(13, 7)));

    SpanData data = onlySpan();
    assertThat(data.getTraceId()).isEqualTo(TRACE);
    assertThat(data.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(data.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(span.propagationHeaders())
        .containsEntry("traceparent", "00-" + TRACE + "-" + data.getSpanId() + "-01")
        .containsEntry("tracestate", "vendor=1")
        .containsEntry("baggage", "tenant=acme");
    assertThat(span.headersToRemove()).isEmpty();
    assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(data.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("session.id"), "s-7")
        .containsEntry(AttributeKey.stringKey("gen_ai.request.model"), "gpt-4o-mini-override")
        .containsEntry(AttributeKey.longKey("gen_ai.usage.input_tokens"), 13L)
        .containsEntry(AttributeKey.longKey("gen_ai.usage.output_tokens"), 7L)
        .containsEntry(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens"), 2L)
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 200L);
  }

  @Test
  void openInferenceNamesTheSpanAsUpstreamDoesWithItsTokenCountsAndNoText() {
    RequestSpan span =
        tracer(Sampler.alwaysOn(), SpanConventions.of(" OpenInference "))
            .start("chat", "gpt-4o-mini", Map.of("agent-session-id", "s-7"), Set.of());
    span.end(summary(200, usage(13, 7)));

    SpanData data = onlySpan();
    assertThat(data.getName()).isEqualTo("ChatCompletion");
    assertThat(data.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("openinference.span.kind"), "LLM")
        .containsEntry(AttributeKey.stringKey("llm.system"), "openai")
        .containsEntry(AttributeKey.stringKey("llm.provider"), "openai")
        .containsEntry(AttributeKey.stringKey("llm.model_name"), "gpt-4o-mini-2024-07-18")
        .containsEntry(AttributeKey.longKey("llm.token_count.prompt"), 13L)
        .containsEntry(AttributeKey.longKey("llm.token_count.completion"), 7L)
        .containsEntry(AttributeKey.longKey("llm.token_count.total"), 20L)
        .containsEntry(AttributeKey.longKey("llm.token_count.prompt_details.cache_read"), 2L)
        .containsEntry(AttributeKey.stringKey("session.id"), "s-7")
        .containsEntry(AttributeKey.stringKey("aigw.route"), "default/chat")
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 200L);
    assertThat(data.getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey)
        .noneMatch(key -> key.startsWith("gen_ai."))
        .noneMatch(key -> key.startsWith("input.") || key.startsWith("output."))
        .noneMatch(key -> key.contains("_messages") || key.startsWith("embedding.embeddings"));
    assertThat(data.getEvents()).isEmpty();
  }

  @Test
  void openInferenceEmbeddingAndRerankSpansNameTheirModelsAsTheirSpanKindsDo() {
    OpenTelemetryTracer tracer = tracer(Sampler.alwaysOn(), SpanConventions.of("openinference"));
    RequestSpan embeddings =
        tracer.start("embeddings", "text-embedding-3-small", Map.of(), Set.of());
    embeddings.end(summary(200, TokenUsage.NONE, "embeddings"));
    SpanData data = onlySpan();
    assertThat(data.getName()).isEqualTo("CreateEmbeddings");
    assertThat(data.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("openinference.span.kind"), "EMBEDDING")
        .containsEntry(AttributeKey.stringKey("embedding.model_name"), "gpt-4o-mini-2024-07-18")
        .doesNotContainKey(AttributeKey.stringKey("llm.system"))
        .doesNotContainKey(AttributeKey.stringKey("llm.provider"))
        .doesNotContainKey(AttributeKey.stringKey("llm.model_name"));

    exported.reset();
    RequestSpan rerank = tracer.start("rerank", "rerank-v3.5", Map.of(), Set.of());
    rerank.end(summary(200, TokenUsage.NONE, "rerank"));
    assertThat(onlySpan().getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("openinference.span.kind"), "RERANKER")
        .containsEntry(AttributeKey.stringKey("llm.system"), "cohere")
        .containsEntry(AttributeKey.stringKey("reranker.model_name"), "gpt-4o-mini-2024-07-18");
  }

  @Test
  void anOpenInferenceErrorSpanHasTheExceptionUpstreamTypesItsStatusAs() {
    RequestSpan span =
        tracer(Sampler.alwaysOn(), SpanConventions.of("openinference"))
            .start("messages", "claude-x", Map.of(), Set.of());
    span.failed("no_matching_route", "no matching route found for model \"claude-x\"");
    span.end(summary(404, TokenUsage.NONE, "messages"));
    SpanData data = onlySpan();
    assertThat(data.getName()).isEqualTo("Message");
    assertThat(data.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    // the client's API is Anthropic's, whoever serves it
    assertThat(data.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("llm.system"), "anthropic")
        .containsEntry(AttributeKey.stringKey("llm.provider"), "openai");
    assertThat(data.getEvents())
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getName()).isEqualTo("exception");
              assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.type")))
                  .isEqualTo("NotFoundError");
              assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message")))
                  .isEqualTo("Error code: 404");
            });
  }

  @Test
  void aTraceparentThatDoesNotParseStartsATraceAndItsStateIsDropped() {
    RequestSpan span =
        tracer(Sampler.parentBased(Sampler.alwaysOn()))
            .start(
                "chat",
                "gpt-4o-mini",
                Map.of("traceparent", "00-not-a-trace-01", "tracestate", "vendor=1"),
                Set.of());
    span.end(summary(200, TokenUsage.NONE));

    SpanData data = onlySpan();
    assertThat(data.getParentSpanId()).isEqualTo("0000000000000000");
    assertThat(span.propagationHeaders())
        .containsKey("traceparent")
        .doesNotContainKey("tracestate");
    assertThat(span.headersToRemove()).containsExactly("tracestate");
  }

  @Test
  void aTraceTheClientDidNotSampleIsCarriedOnUnsampledAndNothingIsExported() {
    RequestSpan span =
        tracer(Sampler.parentBased(Sampler.alwaysOn()))
            .start(
                "chat",
                "gpt-4o-mini",
                Map.of("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-00"),
                Set.of());
    span.failed("no_matching_route", "no matching route");
    span.end(summary(404, TokenUsage.NONE));

    assertThat(exported.getFinishedSpanItems()).isEmpty();
    assertThat(span.propagationHeaders().get("traceparent"))
        .startsWith("00-" + TRACE + "-")
        .endsWith("-00");
  }

  @Test
  void theGatewaysOwnErrorNamesItsCodeAndAProvidersErrorItsStatus() {
    OpenTelemetryTracer tracer = tracer(Sampler.alwaysOn());
    RequestSpan refused = tracer.start("chat", "gpt-4o-mini", Map.of(), Set.of());
    refused.failed("no_matching_route", "no matching route found for model \"x\"");
    refused.end(summary(404, TokenUsage.NONE));
    RequestSpan upstream = tracer.start("chat", "gpt-4o-mini", Map.of(), Set.of());
    upstream.end(summary(503, TokenUsage.NONE));

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(0).getStatus().getDescription())
        .isEqualTo("no matching route found for model \"x\"");
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("no_matching_route");
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(1).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("503");
  }

  @Test
  void aHeaderABackendTakesACredentialInIsNeverRecorded() {
    RequestSpan span =
        tracer(Sampler.alwaysOn())
            .start(
                "chat",
                "gpt-4o-mini",
                Map.of("x-tenant-key", "sk-tenant-secret", "agent-session-id", "s-7"),
                Set.of("x-tenant-key"));
    span.end(summary(200, TokenUsage.NONE));

    assertThat(onlySpan().getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("session.id"), "s-7")
        .doesNotContainKey(AttributeKey.stringKey("tenant"));
  }

  @Test
  void aClientsHugeModelNameIsCutInTheSpan() {
    String model = "m".repeat(100_000);
    tracer(Sampler.alwaysOn())
        .start("chat", model, Map.of(), Set.of())
        .end(summary(404, TokenUsage.NONE));

    SpanData data = onlySpan();
    assertThat(data.getName()).hasSize("chat ".length() + ClientText.MAX_CHARS);
    assertThat(data.getAttributes().get(AttributeKey.stringKey("gen_ai.original.model")))
        .hasSize(ClientText.MAX_CHARS);
  }

  @Test
  void b3sMultipleHeadersAreReadAndWrittenInTheLowerCaseARequestsHeadersHave() {
    provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    OpenTelemetryTracer tracer =
        new OpenTelemetryTracer(
            provider.get("aigw"),
            io.opentelemetry.extension.trace.propagation.B3Propagator.injectingMultiHeaders(),
            HeaderAttributes.parse("none"));
    RequestSpan span =
        tracer.start(
            "chat",
            "gpt-4o-mini",
            Map.of("x-b3-traceid", TRACE, "x-b3-spanid", CLIENT_SPAN, "x-b3-sampled", "1"),
            Set.of());
    span.end(summary(200, TokenUsage.NONE));

    SpanData data = onlySpan();
    assertThat(data.getTraceId()).isEqualTo(TRACE);
    assertThat(data.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(span.propagationHeaders())
        .containsEntry("x-b3-traceid", TRACE)
        .containsEntry("x-b3-spanid", data.getSpanId());
  }
}
