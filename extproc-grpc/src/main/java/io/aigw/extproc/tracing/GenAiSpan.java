package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.RequestSpan;
import io.aigw.extproc.usage.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A request's span, ended with the OpenTelemetry GenAI attributes of what the exchange did: the
 * provider, the models, the token usage and the status. No prompt or answer is recorded.
 */
final class GenAiSpan implements RequestSpan {

  private final Span span;
  private final Map<String, String> propagation;
  private final List<String> stale;
  private String failedCode = "";
  private String failedMessage = "";

  GenAiSpan(Span span, Map<String, String> propagation, List<String> stale) {
    this.span = span;
    this.propagation = Map.copyOf(propagation);
    this.stale = List.copyOf(stale);
  }

  @Override
  public Map<String, String> propagationHeaders() {
    return propagation;
  }

  @Override
  public List<String> headersToRemove() {
    return stale;
  }

  @Override
  public void failed(String code, String message) {
    failedCode = code;
    failedMessage = ClientText.bounded(message);
  }

  @Override
  public void end(ExchangeSummary summary) {
    if (span.isRecording()) {
      record(summary);
    }
    span.end();
  }

  private void record(ExchangeSummary s) {
    text(GenAiAttributes.PROVIDER, s.provider());
    text(GenAiAttributes.REQUEST_MODEL, ClientText.bounded(s.effectiveModel()));
    text(GenAiAttributes.RESPONSE_MODEL, ClientText.bounded(s.responseModel()));
    text(GenAiAttributes.ROUTE, s.route());
    text(GenAiAttributes.BACKEND, s.backend());
    TokenUsage usage = s.usage();
    count(GenAiAttributes.INPUT_TOKENS, usage.input());
    count(GenAiAttributes.OUTPUT_TOKENS, usage.output());
    count(GenAiAttributes.CACHE_READ_TOKENS, usage.cachedInput());
    count(GenAiAttributes.CACHE_CREATION_TOKENS, usage.cacheCreationInput());
    count(GenAiAttributes.REASONING_TOKENS, usage.reasoning());
    if (s.stream()) {
      span.setAttribute(GenAiAttributes.STREAM, true);
      s.timeToFirstTokenNanos()
          .ifPresent(n -> span.setAttribute(GenAiAttributes.TIME_TO_FIRST_CHUNK, n / 1e9));
    }
    if (s.status() > 0) {
      span.setAttribute(GenAiAttributes.HTTP_STATUS, (long) s.status());
    }
    if (!failedCode.isEmpty()) {
      span.setAttribute(GenAiAttributes.ERROR_TYPE, failedCode);
      span.setStatus(StatusCode.ERROR, failedMessage);
    } else if (s.status() >= 400) {
      String type = Integer.toString(s.status());
      span.setAttribute(GenAiAttributes.ERROR_TYPE, type);
      span.setStatus(StatusCode.ERROR, "the provider answered " + type);
    }
  }

  private void text(String key, String value) {
    if (!value.isEmpty()) {
      span.setAttribute(key, value);
    }
  }

  private void count(String key, OptionalLong value) {
    if (value.isPresent()) {
      span.setAttribute(key, value.getAsLong());
    }
  }
}
