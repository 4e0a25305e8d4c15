package io.aigw.extproc.processor;

import java.util.Map;

/**
 * Starts the span of one request the gateway routes. The processor calls it once the request body
 * has parsed; what it records, and where the spans go, is the tracer's business. Called on the
 * stream's thread: must be cheap and must not throw.
 */
@FunctionalInterface
public interface RequestTracer {

  /** Traces nothing, and adds no header: a client's trace context reaches the provider as sent. */
  RequestTracer OFF = (operation, requestModel, requestHeaders) -> RequestSpan.NONE;

  /**
   * The span of a request.
   *
   * @param operation the endpoint's operation ({@code chat}, {@code embeddings}, …)
   * @param requestModel the model the client asked for
   * @param requestHeaders the client's request headers, lower-case, for the trace context it sent
   */
  RequestSpan start(String operation, String requestModel, Map<String, String> requestHeaders);
}
