package io.aigw.extproc.tracing;

import io.aigw.extproc.processor.ClientText;
import io.aigw.extproc.processor.ExchangeSummary;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.Locale;

/**
 * Which semantic conventions a request's span is named and described by: the OpenTelemetry GenAI
 * conventions ({@code gen_ai}, aigw's default) or OpenInference's ({@code openinference},
 * upstream's default, which Arize Phoenix reads), chosen by upstream's variable {@code
 * AI_GATEWAY_TRACING_SEMCONV} (case and blanks aside; unset is aigw's default, not upstream's).
 * Either way no prompt or answer text is recorded.
 */
sealed interface SpanConventions permits GenAiConventions, OpenInferenceConventions {

  /** Upstream's variable. */
  String VARIABLE = "AI_GATEWAY_TRACING_SEMCONV";

  /** The span's name for {@code operation} (an endpoint's) and the model the client asked for. */
  String spanName(String operation, String model);

  /** What is known when the span starts. */
  void started(SpanBuilder span, String operation, String model);

  /** The provider, the models and the token usage of the exchange, when it ends. */
  void ended(Span span, ExchangeSummary summary);

  /** What the conventions add to a span that ended in an error with {@code status} (0: none). */
  void failed(Span span, int status);

  /**
   * The conventions {@code value} names; unset or blank is {@code gen_ai}.
   *
   * @throws IllegalArgumentException for another value
   */
  static SpanConventions of(String value) {
    String name = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "", "gen_ai" -> new GenAiConventions();
      case "openinference" -> new OpenInferenceConventions();
      default ->
          throw new IllegalArgumentException(
              "tracing: "
                  + VARIABLE
                  + "="
                  + ClientText.bounded(value)
                  + " is neither gen_ai nor openinference");
    };
  }
}
