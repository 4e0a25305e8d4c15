package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.processor.RequestSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A request's span, ended with the attributes of what the exchange did, in the vocabulary of its
 * {@link SpanConventions} (the provider, the models, the token usage) and aigw's own (the route,
 * the backend, the status). No prompt or answer is recorded.
 */
final class ExchangeSpan implements RequestSpan {

  private final Span span;
  private final SpanConventions conventions;
  private final Map<String, String> propagation;
  private final List<String> stale;
  private String failedCode = "";
  private String failedMessage = "";

  ExchangeSpan(
      Span span, SpanConventions conventions, Map<String, String> propagation, List<String> stale) {
    this.span = span;
    this.conventions = conventions;
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
    conventions.ended(span, s);
    text(span, GenAiAttributes.ROUTE, s.route());
    text(span, GenAiAttributes.BACKEND, s.backend());
    if (s.status() > 0) {
      span.setAttribute(GenAiAttributes.HTTP_STATUS, (long) s.status());
    }
    if (!failedCode.isEmpty()) {
      span.setAttribute(GenAiAttributes.ERROR_TYPE, failedCode);
      span.setStatus(StatusCode.ERROR, failedMessage);
      conventions.failed(span, s.status());
    } else if (s.status() >= 400) {
      String type = Integer.toString(s.status());
      span.setAttribute(GenAiAttributes.ERROR_TYPE, type);
      span.setStatus(StatusCode.ERROR, "the provider answered " + type);
      conventions.failed(span, s.status());
    }
  }

  /** Sets {@code key} when {@code value} is not empty. */
  static void text(Span span, String key, String value) {
    if (!value.isEmpty()) {
      span.setAttribute(key, value);
    }
  }

  /** Sets {@code key} when {@code value} is known. */
  static void count(Span span, String key, OptionalLong value) {
    if (value.isPresent()) {
      span.setAttribute(key, value.getAsLong());
    }
  }
}
