package io.aigw.deploy.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link KubernetesApplier} runs.
 *
 * @param source the source of its {@code ApplyOutcome} entries, {@code k8s:<context>}
 * @param namespaces where it writes and prunes; empty means every namespace
 * @param driftInterval how often live objects are compared with the desired ones; zero turns the
 *     periodic check off (the check at start always runs)
 * @param maxInFlight how many API calls it keeps in flight at most
 * @param backoff retries of transient failures (409, 429, 5xx, timeouts)
 * @param clock the time of {@code lastTransitionTime}
 */
public record ApplierOptions(
    String source,
    List<String> namespaces,
    Duration driftInterval,
    int maxInFlight,
    Backoff backoff,
    Clock clock) {

  public ApplierOptions {
    Objects.requireNonNull(source, "source");
    namespaces = List.copyOf(namespaces);
    Objects.requireNonNull(driftInterval, "driftInterval");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(clock, "clock");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1");
    }
  }

  /** All namespaces, a drift check every five minutes, 32 calls in flight, default backoff. */
  public static ApplierOptions defaults(String source) {
    return new ApplierOptions(
        source, List.of(), Duration.ofMinutes(5), 32, Backoff.DEFAULT, Clock.systemUTC());
  }

  public ApplierOptions withNamespaces(List<String> value) {
    return new ApplierOptions(source, value, driftInterval, maxInFlight, backoff, clock);
  }

  public ApplierOptions withDriftInterval(Duration value) {
    return new ApplierOptions(source, namespaces, value, maxInFlight, backoff, clock);
  }

  public ApplierOptions withMaxInFlight(int value) {
    return new ApplierOptions(source, namespaces, driftInterval, value, backoff, clock);
  }

  public ApplierOptions withBackoff(Backoff value) {
    return new ApplierOptions(source, namespaces, driftInterval, maxInFlight, value, clock);
  }

  public ApplierOptions withClock(Clock value) {
    return new ApplierOptions(source, namespaces, driftInterval, maxInFlight, backoff, value);
  }
}
