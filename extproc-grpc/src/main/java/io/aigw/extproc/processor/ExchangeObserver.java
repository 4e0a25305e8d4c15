package io.aigw.extproc.processor;

import io.aigw.extproc.quota.QuotaUsage;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Receives what the processor did, for metrics and logs. Called on the stream's thread; must be
 * cheap and must not throw.
 */
public interface ExchangeObserver {

  /** Observes nothing. */
  ExchangeObserver NOOP = new ExchangeObserver() {};

  /** An exchange finished (response complete, or refused with an immediate response). */
  default void completed(ExchangeSummary summary) {}

  /** Processing one message took {@code nanos}; {@code phase} names the message kind. */
  default void phaseTime(String phase, long nanos) {}

  /** A bug: processing a message threw; the exchange went on as well as it could. */
  default void internalError(String phase, RuntimeException error) {}

  /**
   * Where the use of the quota buckets is read, told once at start, for gauges of it: read when the
   * metrics are, from the routes in service at that moment.
   */
  default void quotaUsage(Supplier<List<QuotaUsage>> usage) {}

  /**
   * A bucket of {@code policy} for one more value of a {@code Distinct} header was not counted: the
   * quota ledger is full.
   */
  default void quotaNotCounted(String policy) {}

  /** A configured credential could not be read; the request was refused. */
  default void credentialUnavailable(String backend, String reason) {}

  /** A request body of {@code bytes} did not fit the body budget; the request was refused. */
  default void overloaded(long bytes) {}

  /** The body budget the processors share, told once at start, for gauges of it. */
  default void bodyBudget(RequestBodyBudget bodies) {}

  /** The model names the config now in service declares (a new routing table). */
  default void modelsDeclared(Set<String> models) {}
}
