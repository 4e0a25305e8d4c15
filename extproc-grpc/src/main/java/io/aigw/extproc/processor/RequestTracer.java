package io.aigw.extproc.processor;

import java.util.Map;
import java.util.Set;

/**
 * Starts the span of one request the gateway routes. The processor calls it once the request body
 * has parsed; what it records, and where the spans go, is the tracer's business. Called on the
 * stream's thread: must be cheap and must not throw.
 */
@FunctionalInterface
public interface RequestTracer {

  /** Traces nothing, and adds no header: a client's trace context reaches the provider as sent. */
  RequestTracer OFF = (operation, requestModel, requestHeaders, withheld) -> RequestSpan.NONE;

  /**
   * The span of a request.
   *
   * @param operation the endpoint's operation ({@code chat}, {@code embeddings}, …)
   * @param requestModel the model the client asked for
   * @param requestHeaders the client's request headers, lower-case, for the trace context it sent
   * @param withheld headers that carry a credential to a backend (a credential override's), never
   *     to be recorded whatever the tracer is told to record
   */
  RequestSpan start(
      String operation,
      String requestModel,
      Map<String, String> requestHeaders,
      Set<String> withheld);
}
