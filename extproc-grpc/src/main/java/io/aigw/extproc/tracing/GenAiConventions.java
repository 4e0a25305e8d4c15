package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.aigw.extproc.usage.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;

/** The OpenTelemetry GenAI conventions: {@code chat gpt-4o-mini}, {@code gen_ai.*} attributes. */
final class GenAiConventions implements SpanConventions {

  @Override
  public String spanName(String operation, String model) {
    String name = GenAiAttributes.operation(operation);
    return model.isEmpty() ? name : name + " " + model;
  }

  @Override
  public void started(SpanBuilder span, String operation, String model) {
    span.setAttribute(GenAiAttributes.OPERATION, GenAiAttributes.operation(operation));
    if (!model.isEmpty()) {
      span.setAttribute(GenAiAttributes.ORIGINAL_MODEL, model);
    }
  }

  @Override
  public void ended(Span span, ExchangeSummary s) {
    ExchangeSpan.text(span, GenAiAttributes.PROVIDER, s.provider());
    ExchangeSpan.text(span, GenAiAttributes.REQUEST_MODEL, ClientText.bounded(s.effectiveModel()));
    ExchangeSpan.text(span, GenAiAttributes.RESPONSE_MODEL, ClientText.bounded(s.responseModel()));
    TokenUsage usage = s.usage();
    ExchangeSpan.count(span, GenAiAttributes.INPUT_TOKENS, usage.input());
    ExchangeSpan.count(span, GenAiAttributes.OUTPUT_TOKENS, usage.output());
    ExchangeSpan.count(span, GenAiAttributes.CACHE_READ_TOKENS, usage.cachedInput());
    ExchangeSpan.count(span, GenAiAttributes.CACHE_CREATION_TOKENS, usage.cacheCreationInput());
    ExchangeSpan.count(span, GenAiAttributes.REASONING_TOKENS, usage.reasoning());
    if (s.stream()) {
      span.setAttribute(GenAiAttributes.STREAM, true);
      s.timeToFirstTokenNanos()
          .ifPresent(n -> span.setAttribute(GenAiAttributes.TIME_TO_FIRST_CHUNK, n / 1e9));
    }
  }

  /** {@code error.type} and the span's status say it, as for every span. */
  @Override
  public void failed(Span span, int status) {}
}
