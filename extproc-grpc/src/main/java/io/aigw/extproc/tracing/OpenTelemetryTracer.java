package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.HeaderAttributes;
import io.aigw.extproc.processor.RequestSpan;
import io.aigw.extproc.processor.RequestTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Spans with OpenTelemetry: each request's span is a child of the trace context the client sent (in
 * the propagators' headers, W3C {@code traceparent} by default), and the provider gets the
 * gateway's span as its parent, with none of the client's context the span did not carry on.
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
          // a request's headers arrive in lower case; B3's multi-header names do not
          return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final HeaderAttributes headerAttributes;
  private final SpanConventions conventions;

  /** Spans described by the OpenTelemetry GenAI conventions. */
  public OpenTelemetryTracer(
      Tracer tracer, TextMapPropagator propagator, HeaderAttributes headerAttributes) {
    this(tracer, propagator, headerAttributes, new GenAiConventions());
  }

  OpenTelemetryTracer(
      Tracer tracer,
      TextMapPropagator propagator,
      HeaderAttributes headerAttributes,
      SpanConventions conventions) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.headerAttributes = headerAttributes;
    this.conventions = conventions;
  }

  @Override
  public RequestSpan start(
      String operation,
      String requestModel,
      Map<String, String> requestHeaders,
      Set<String> withheld) {
    Context parent = propagator.extract(Context.root(), requestHeaders, HEADERS);
    String model = ClientText.bounded(requestModel);
    SpanBuilder builder =
        tracer
            .spanBuilder(conventions.spanName(operation, model))
            .setParent(parent)
            // upstream's kind: the gateway's span sits between the client's and the provider's
            .setSpanKind(SpanKind.INTERNAL);
    conventions.started(builder, operation, model);
    headerAttributes.forEachPresent(requestHeaders, withheld, builder::setAttribute);
    Span span = builder.startSpan();
    Map<String, String> headers = new LinkedHashMap<>();
    propagator.inject(
        parent.with(span),
        headers,
        (carrier, key, value) -> carrier.put(key.toLowerCase(Locale.ROOT), value));
    List<String> stale = new ArrayList<>();
    for (String field : propagator.fields()) {
      String header = field.toLowerCase(Locale.ROOT);
      if (!headers.containsKey(header) && requestHeaders.containsKey(header)) {
        stale.add(header);
      }
    }
    return new ExchangeSpan(span, conventions, headers, stale);
  }
}
