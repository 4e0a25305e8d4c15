package io.aigw.extproc.processor;

import java.util.List;
import java.util.Map;

/** The span of one request, ended once with what the exchange did. */
public interface RequestSpan {

  /** No span. */
  RequestSpan NONE = new RequestSpan() {};

  /**
   * The headers that carry this span to the provider ({@code traceparent}, …), so its own spans are
   * children of the gateway's.
   */
  default Map<String, String> propagationHeaders() {
    return Map.of();
  }

  /**
   * Headers the provider must not get: trace context the client sent that this span did not carry
   * on ({@code tracestate} of a {@code traceparent} that did not parse, say).
   */
  default List<String> headersToRemove() {
    return List.of();
  }

  /**
   * The exchange failed on the gateway's side: it answered with an error of its own ({@code code}
   * as in its body), the stream ended before the answer did, or the gateway failed while passing
   * the answer on.
   */
  default void failed(String code, String message) {}

  /** The exchange is over: records what it did and ends the span. */
  default void end(ExchangeSummary summary) {}
}
