package io.aigw.extproc.processor;

import io.aigw.extproc.auth.CredentialSource;
import io.aigw.extproc.quota.QuotaLedger;
import java.time.Clock;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Everything impure a processor needs, passed in: a monotonic clock, a random source, credentials,
 * the shared passive-health state, the metrics observer and the tracer. Tests pass fixed clocks and
 * sequences.
 *
 * @param nanoClock monotonic nanoseconds
 * @param random uniform numbers in [0, 1)
 * @param wallClock wall-clock time for request signatures and the {@code created} field of
 *     translated responses
 * @param bodies the request body bytes the streams of this environment may hold at once
 * @param tracer where the spans of the requests go ({@link RequestTracer#OFF} for none)
 * @param quotas the counters of the QuotaPolicy buckets, kept across configs
 */
public record ProcessorEnvironment(
    LongSupplier nanoClock,
    DoubleSupplier random,
    CredentialSource credentials,
    BackendHealth health,
    ExchangeObserver observer,
    Clock wallClock,
    RequestBodyBudget bodies,
    RequestTracer tracer,
    QuotaLedger quotas) {

  /**
   * An environment on the system's wall clock with a body budget of its own ({@link
   * RequestBodyBudget#ofHeap}), tracing nothing: the streams that are to share one budget share one
   * environment.
   */
  public ProcessorEnvironment(
      LongSupplier nanoClock,
      DoubleSupplier random,
      CredentialSource credentials,
      BackendHealth health,
      ExchangeObserver observer) {
    this(
        nanoClock,
        random,
        credentials,
        health,
        observer,
        Clock.systemUTC(),
        RequestBodyBudget.ofHeap(),
        RequestTracer.OFF,
        new QuotaLedger());
  }

  public ProcessorEnvironment {
    Objects.requireNonNull(nanoClock, "nanoClock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(wallClock, "wallClock");
    Objects.requireNonNull(bodies, "bodies");
    Objects.requireNonNull(tracer, "tracer");
    Objects.requireNonNull(quotas, "quotas");
  }
}
