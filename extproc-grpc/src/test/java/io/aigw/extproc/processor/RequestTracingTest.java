package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.CHAT_STREAM;
import static io.aigw.extproc.processor.Exchanges.COMPLETION_BODY;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.responseBody;
import static io.aigw.extproc.processor.Exchanges.responseHeaders;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.Backend;
import io.aigw.core.filterconfig.CredentialOverride;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.extproc.auth.CredentialSource;
import io.aigw.extproc.quota.QuotaLedger;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the processor tells its tracer, and what the tracer's span adds to the upstream request. */
class RequestTracingTest {

  private static final String CLIENT_TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  /** One span, as the processor drove it; its own context is the client's trace, a new span id. */
  private static final class Recorded implements RequestSpan {
    final String operation;
    final String model;
    final Map<String, String> headers;
    final Set<String> withheld;
    final List<ExchangeSummary> ends = new ArrayList<>();
    String failedCode = "";

    Recorded(String operation, String model, Map<String, String> headers, Set<String> withheld) {
      this.operation = operation;
      this.model = model;
      this.headers = headers;
      this.withheld = withheld;
    }

    @Override
    public Map<String, String> propagationHeaders() {
      String parent = headers.getOrDefault("traceparent", "00-" + "1".repeat(32) + "-x");
      return Map.of("traceparent", parent.substring(0, 36) + "00f067aa0ba902b7-01");
    }

    @Override
    public List<String> headersToRemove() {
      return List.of("tracestate");
    }

    @Override
    public void failed(String code, String message) {
      failedCode = code;
    }

    @Override
    public void end(ExchangeSummary summary) {
      ends.add(summary);
    }
  }

  private final List<Recorded> spans = new ArrayList<>();
  private final List<RuntimeException> internalErrors = new ArrayList<>();
  private final CredentialSource credentials =
      file ->
          file.path().equals("/secrets/openai/apiKey")
              ? Optional.of("sk-test\n")
              : Optional.empty();

  private StreamProcessor processor() {
    return processor(
        Exchanges.chatRoute(),
        (operation, model, headers, withheld) -> {
          Recorded span = new Recorded(operation, model, headers, withheld);
          spans.add(span);
          return span;
        });
  }

  /** A processor of {@code route} whose internal errors are kept in {@link #internalErrors}. */
  private StreamProcessor processor(FilterConfig route, RequestTracer tracer) {
    return processor(
        route,
        tracer,
        new ExchangeObserver() {
          @Override
          public void internalError(String phase, RuntimeException error) {
            internalErrors.add(error);
          }
        });
  }

  private StreamProcessor processor(
      FilterConfig route, RequestTracer tracer, ExchangeObserver observer) {
    return new StreamProcessor(
        FilterConfigAdapter.toRoutingTable(List.of(route)).table(),
        new ProcessorEnvironment(
            () -> 1_000_000_000L,
            () -> 0.5,
            credentials,
            new BackendHealth(PassiveHealthPolicy.DEFAULT),
            observer,
            Clock.systemUTC(),
            RequestBodyBudget.ofHeap(),
            tracer,
            new QuotaLedger()));
  }

  private static ProcessingResponse chatWithTraceparent(StreamProcessor p) {
    p.process(
        requestHeaders(
            "POST",
            "/v1/chat/completions",
            Map.of("traceparent", CLIENT_TRACEPARENT, "tracestate", "vendor=1"),
            false));
    return p.process(requestBody(CHAT));
  }

  @Test
  void aRoutedRequestsSpanIsTheProvidersParentAndEndsOnceWithTheAnswer() {
    StreamProcessor p = processor();
    ProcessingResponse routed = chatWithTraceparent(p);

    assertThat(spans).hasSize(1);
    Recorded span = spans.get(0);
    assertThat(span.operation).isEqualTo("chat");
    assertThat(span.model).isEqualTo("gpt-4o-mini");
    assertThat(span.headers).containsEntry("traceparent", CLIENT_TRACEPARENT);
    HeaderMutation upstream = routed.getRequestBody().getResponse().getHeaderMutation();
    assertThat(setHeaders(upstream))
        .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01");
    assertThat(upstream.getRemoveHeadersList()).contains("tracestate");
    assertThat(span.ends).isEmpty();

    p.process(responseHeaders(200, "application/json"));
    p.process(responseBody(COMPLETION_BODY, true));
    p.streamClosed();

    assertThat(span.ends).hasSize(1);
    ExchangeSummary summary = span.ends.get(0);
    assertThat(summary.status()).isEqualTo(200);
    assertThat(summary.usage().inputOrZero()).isEqualTo(13);
    assertThat(summary.backend()).isEqualTo("default/openai");
    assertThat(span.failedCode).isEmpty();
  }

  @Test
  void aRequestNoRuleMatchesEndsItsSpanWithTheGatewaysErrorCode() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse refused =
        p.process(requestBody(CHAT.replace("gpt-4o-mini", "no-such-model")));

    assertThat(refused.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).failedCode).isEqualTo("no_matching_route");
    assertThat(spans.get(0).ends).extracting(ExchangeSummary::status).containsExactly(404);
  }

  @Test
  void aStreamCutBeforeItsAnswerEndsItsSpanOnceAsFailed() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    p.streamClosed();
    p.streamClosed();

    assertThat(spans.get(0).ends).extracting(ExchangeSummary::status).containsExactly(499);
    assertThat(spans.get(0).failedCode).isEqualTo("stream_ended_early");
  }

  @Test
  void aStreamCutMidAnswerIsAFailureThoughItsStatusWas200() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT_STREAM));
    p.process(responseHeaders(200, "text/event-stream"));
    p.process(responseBody("data: {\"id\":\"c1\",\"choices\":[]}\n\n", false));
    p.streamClosed();

    assertThat(spans.get(0).ends).extracting(ExchangeSummary::status).containsExactly(200);
    assertThat(spans.get(0).failedCode).isEqualTo("stream_ended_early");
  }

  @Test
  void aBodyThatDoesNotParseStartsNoSpan() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody("{not json"));

    assertThat(spans).isEmpty();
  }

  @Test
  void aTracerThatFailsCostsTheRequestItsSpanNotItsAnswer() {
    StreamProcessor p =
        processor(
            Exchanges.chatRoute(),
            (operation, model, headers, withheld) -> {
              throw new IllegalStateException("tracer broke");
            });
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse routed = p.process(requestBody(CHAT));

    assertThat(routed.getRequestBody().getResponse().getClearRouteCache()).isTrue();
    assertThat(internalErrors).extracting(Throwable::getMessage).containsExactly("tracer broke");
  }

  @Test
  void theTracerIsToldWhichHeadersCarryABackendsOwnCredential() {
    FilterConfig route = Exchanges.chatRoute();
    Backend backend = route.backends().get(0);
    FilterConfig overridden =
        Exchanges.with(
            route,
            null,
            null,
            null,
            List.of(
                new Backend(
                    backend.name(),
                    backend.schema(),
                    backend.auth(),
                    new CredentialOverride(
                        "x-tenant-key", null, null, true, List.of("x-tenant-key")))));
    StreamProcessor p =
        processor(
            overridden,
            (operation, model, headers, withheld) -> {
              Recorded span = new Recorded(operation, model, headers, withheld);
              spans.add(span);
              return span;
            });
    chatWithTraceparent(p);

    assertThat(spans.get(0).withheld).containsExactly("x-tenant-key");
  }

  @Test
  void untracedTheRequestLeavesWithTheHeadersItWouldHaveHadWithoutTracing() {
    StreamProcessor off = processor(Exchanges.chatRoute(), RequestTracer.OFF);
    HeaderMutation untraced =
        chatWithTraceparent(off).getRequestBody().getResponse().getHeaderMutation();
    StreamProcessor plain =
        new StreamProcessor(
            FilterConfigAdapter.toRoutingTable(List.of(Exchanges.chatRoute())).table(),
            new ProcessorEnvironment(
                () -> 1_000_000_000L,
                () -> 0.5,
                credentials,
                new BackendHealth(PassiveHealthPolicy.DEFAULT),
                ExchangeObserver.NOOP));

    assertThat(untraced)
        .isEqualTo(chatWithTraceparent(plain).getRequestBody().getResponse().getHeaderMutation());
    assertThat(setHeaders(untraced)).doesNotContainKey("traceparent");
    assertThat(untraced.getRemoveHeadersList()).doesNotContain("traceparent", "tracestate");
  }

  @Test
  void theModelListStartsNoSpan() {
    StreamProcessor p = processor();
    p.process(requestHeaders("GET", "/v1/models", Map.of(), true));

    assertThat(spans).isEmpty();
  }

  @Test
  void aProvidersErrorEndsTheSpanWithItsStatusNotAsTheGatewaysOwn() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    p.process(responseHeaders(503, "application/json"));
    p.process(responseBody("{\"error\":{\"message\":\"overloaded\"}}", true));

    assertThat(spans.get(0).failedCode).isEmpty();
    assertThat(spans.get(0).ends).extracting(ExchangeSummary::status).containsExactly(503);
  }

  @Test
  void aSpanThatFailsWhenItEndsCostsTheRequestNothing() {
    StreamProcessor p =
        processor(
            Exchanges.chatRoute(),
            (operation, model, headers, withheld) ->
                new RequestSpan() {
                  @Override
                  public void failed(String code, String message) {
                    throw new IllegalStateException("failed broke");
                  }

                  @Override
                  public void end(ExchangeSummary summary) {
                    throw new IllegalStateException("end broke");
                  }
                });
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse refused =
        p.process(requestBody(CHAT.replace("gpt-4o-mini", "no-such-model")));

    assertThat(refused.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
    assertThat(internalErrors)
        .extracting(Throwable::getMessage)
        .containsExactly("failed broke", "end broke");
  }

  @Test
  void theObserversAreToldTheRequestHeadersForTheLabelsAnOperatorMaps() {
    List<ExchangeSummary> told = new ArrayList<>();
    StreamProcessor p =
        processor(
            Exchanges.chatRoute(),
            RequestTracer.OFF,
            new ExchangeObserver() {
              @Override
              public void completed(ExchangeSummary summary) {
                told.add(summary);
              }
            });
    p.process(
        requestHeaders(
            "POST",
            "/v1/chat/completions",
            Map.of("x-tenant-id", "acme", "authorization", "Bearer sk-client"),
            false));
    p.process(requestBody(CHAT.replace("gpt-4o-mini", "no-such-model")));

    assertThat(told).hasSize(1);
    assertThat(told.get(0).requestHeaders().get("x-tenant-id")).isEqualTo("acme");
    // never a credential, whatever an observer asks for
    assertThat(told.get(0).requestHeaders().get("authorization")).isNull();
    assertThat(told.get(0).requestHeaders().toString()).doesNotContain("acme");
  }
}
