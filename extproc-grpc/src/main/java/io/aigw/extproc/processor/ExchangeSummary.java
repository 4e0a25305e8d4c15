package io.aigw.extproc.processor;

import io.aigw.extproc.usage.TokenUsage;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one finished exchange did, for metrics. Names are empty when not known (e.g. a request
 * refused before a route was chosen).
 *
 * @param route {@code namespace/name} of the route
 * @param backend {@code namespace/name} of the backend
 * @param operation {@code chat}, {@code completion}, {@code embeddings}, {@code models} or empty
 * @param requestModel the model the client asked for
 * @param effectiveModel the model sent upstream (the override, if any)
 * @param responseModel the model the provider said answered
 * @param status the HTTP status the client got
 * @param usage token usage read from the response
 * @param stream whether the response was streamed
 * @param timeToFirstTokenNanos for streams: request sent to first body chunk
 * @param timePerOutputTokenNanos for streams with more than one output token: mean time per token
 *     after the first
 * @param durationNanos request body seen to end of response
 * @param requestHeaders the client's request headers as an observer may read them, for the labels
 *     an operator maps from them; none before they arrived
 */
public record ExchangeSummary(
    String route,
    String backend,
    String provider,
    String operation,
    String requestModel,
    String effectiveModel,
    String responseModel,
    int status,
    TokenUsage usage,
    boolean stream,
    OptionalLong timeToFirstTokenNanos,
    OptionalLong timePerOutputTokenNanos,
    long durationNanos,
    RequestHeaders requestHeaders) {

  public ExchangeSummary {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(requestModel, "requestModel");
    Objects.requireNonNull(effectiveModel, "effectiveModel");
    Objects.requireNonNull(responseModel, "responseModel");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(requestHeaders, "requestHeaders");
  }
}
