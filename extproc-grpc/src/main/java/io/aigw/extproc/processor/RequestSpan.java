package io.aigw.extproc.processor;

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

  /** The gateway answered the request itself with an error ({@code code} as in its body). */
  default void refused(String code, String message) {}

  /** The exchange is over: records what it did and ends the span. */
  default void end(ExchangeSummary summary) {}
}
