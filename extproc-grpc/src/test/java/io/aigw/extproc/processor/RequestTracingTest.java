package io.aigw.extproc.processor;

import static io.aigw.extproc.processor.Exchanges.CHAT;
import static io.aigw.extproc.processor.Exchanges.COMPLETION_BODY;
import static io.aigw.extproc.processor.Exchanges.requestBody;
import static io.aigw.extproc.processor.Exchanges.requestHeaders;
import static io.aigw.extproc.processor.Exchanges.responseBody;
import static io.aigw.extproc.processor.Exchanges.responseHeaders;
import static io.aigw.extproc.processor.Exchanges.setHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.extproc.auth.CredentialSource;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the processor tells its tracer, and what the tracer's span adds to the upstream request. */
class RequestTracingTest {

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  /** One span, as the processor drove it. */
  private static final class Recorded implements RequestSpan {
    final String operation;
    final String model;
    final Map<String, String> headers;
    final List<ExchangeSummary> ends = new ArrayList<>();
    String refusedCode = "";

    Recorded(String operation, String model, Map<String, String> headers) {
      this.operation = operation;
      this.model = model;
      this.headers = headers;
    }

    @Override
    public Map<String, String> propagationHeaders() {
      return Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01");
    }

    @Override
    public void refused(String code, String message) {
      refusedCode = code;
    }

    @Override
    public void end(ExchangeSummary summary) {
      ends.add(summary);
    }
  }

  private final List<Recorded> spans = new ArrayList<>();
  private final CredentialSource credentials =
      file ->
          file.path().equals("/secrets/openai/apiKey")
              ? Optional.of("sk-test\n")
              : Optional.empty();

  private StreamProcessor processor() {
    RoutingTable table = FilterConfigAdapter.toRoutingTable(List.of(Exchanges.chatRoute())).table();
    RequestTracer tracer =
        (operation, model, headers) -> {
          Recorded span = new Recorded(operation, model, headers);
          spans.add(span);
          return span;
        };
    return new StreamProcessor(
        table,
        new ProcessorEnvironment(
                () -> 1_000_000_000L,
                () -> 0.5,
                credentials,
                new BackendHealth(PassiveHealthPolicy.DEFAULT),
                ExchangeObserver.NOOP,
                Clock.systemUTC(),
                RequestBodyBudget.ofHeap())
            .withTracer(tracer));
  }

  @Test
  void aRoutedRequestsSpanIsTheProvidersParentAndEndsOnceWithTheAnswer() {
    StreamProcessor p = processor();
    p.process(
        requestHeaders("POST", "/v1/chat/completions", Map.of("traceparent", TRACEPARENT), false));
    ProcessingResponse routed = p.process(requestBody(CHAT));

    assertThat(spans).hasSize(1);
    Recorded span = spans.get(0);
    assertThat(span.operation).isEqualTo("chat");
    assertThat(span.model).isEqualTo("gpt-4o-mini");
    assertThat(span.headers).containsEntry("traceparent", TRACEPARENT);
    assertThat(setHeaders(routed.getRequestBody().getResponse().getHeaderMutation()))
        .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01");
    assertThat(span.ends).isEmpty();

    p.process(responseHeaders(200, "application/json"));
    p.process(responseBody(COMPLETION_BODY, true));
    p.streamClosed();

    assertThat(span.ends).hasSize(1);
    ExchangeSummary summary = span.ends.get(0);
    assertThat(summary.status()).isEqualTo(200);
    assertThat(summary.usage().inputOrZero()).isEqualTo(13);
    assertThat(summary.backend()).isEqualTo("default/openai");
    assertThat(span.refusedCode).isEmpty();
  }

  @Test
  void aRequestNoRuleMatchesEndsItsSpanWithTheGatewaysErrorCode() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    ProcessingResponse refused =
        p.process(requestBody(CHAT.replace("gpt-4o-mini", "no-such-model")));

    assertThat(refused.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(404);
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).refusedCode).isEqualTo("no_matching_route");
    assertThat(spans.get(0).ends).extracting(ExchangeSummary::status).containsExactly(404);
  }

  @Test
  void aStreamCutBeforeItsAnswerEndsItsSpanOnce() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody(CHAT));
    p.streamClosed();
    p.streamClosed();

    assertThat(spans.get(0).ends).extracting(ExchangeSummary::status).containsExactly(499);
  }

  @Test
  void aBodyThatDoesNotParseStartsNoSpan() {
    StreamProcessor p = processor();
    p.process(requestHeaders("/v1/chat/completions"));
    p.process(requestBody("{not json"));

    assertThat(spans).isEmpty();
  }
}
