package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.RequestSpan;
import io.aigw.extproc.processor.RequestTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spans with OpenTelemetry: each request's span is a child of the trace context the client sent (in
 * the propagators' headers, W3C {@code traceparent} by default), and the provider gets the
 * gateway's span as its parent.
 */
public final class OpenTelemetryTracer implements RequestTracer {

  private static final TextMapGetter<Map<String, String>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final SpanHeaderAttributes headerAttributes;

  public OpenTelemetryTracer(
      Tracer tracer, TextMapPropagator propagator, SpanHeaderAttributes headerAttributes) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.headerAttributes = headerAttributes;
  }

  @Override
  public RequestSpan start(
      String operation, String requestModel, Map<String, String> requestHeaders) {
    Context parent = propagator.extract(Context.root(), requestHeaders, HEADERS);
    String name = GenAiAttributes.operation(operation);
    SpanBuilder builder =
        tracer
            .spanBuilder(requestModel.isEmpty() ? name : name + " " + requestModel)
            .setParent(parent)
            // upstream's kind: the gateway's span sits between the client's and the provider's
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(GenAiAttributes.OPERATION, name);
    if (!requestModel.isEmpty()) {
      builder.setAttribute(GenAiAttributes.ORIGINAL_MODEL, requestModel);
    }
    headerAttributes.forEachPresent(requestHeaders, builder::setAttribute);
    Span span = builder.startSpan();
    Map<String, String> headers = new LinkedHashMap<>();
    propagator.inject(parent.with(span), headers, (carrier, key, value) -> carrier.put(key, value));
    return new GenAiSpan(span, headers);
  }
}
