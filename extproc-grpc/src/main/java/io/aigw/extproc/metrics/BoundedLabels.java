package io.aigw.extproc.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Label values of which at most {@code max} are kept, none longer than {@value #MAX_CHARS}
 * characters; the others become {@value #OTHER}. Model names come from clients (a route with a
 * catch-all or a regular-expression rule takes any) and from providers: without a bound, each new
 * name would add series to the registry for good, and a name of kilobytes, repeated in every series
 * of every histogram, made a scrape of hundreds of megabytes.
 */
final class BoundedLabels {

  /** The OpenTelemetry convention for a value outside a known set. */
  static final String OTHER = "_OTHER";

  /** Longer than any model name a provider publishes. */
  static final int MAX_CHARS = 256;

  private final int max;
  private final Set<String> kept = ConcurrentHashMap.newKeySet();
  // kept whatever came first: the names the config in service declares
  private volatile Set<String> declared = Set.of();

  BoundedLabels(int max) {
    this.max = max;
  }

  /** Keeps {@code names} from now on, outside the bound: the models the config declares. */
  void declare(Set<String> names) {
    declared = Set.copyOf(names);
  }

  /** {@code value} if it is short enough and kept or there is room for it, else {@value #OTHER}. */
  String of(String value) {
    if (value.length() > MAX_CHARS) {
      return OTHER;
    }
    if (declared.contains(value)) {
      return value;
    }
    if (kept.contains(value)) {
      return value;
    }
    // two threads may both take the last room: the bound is then passed by a few, never more
    if (kept.size() < max) {
      kept.add(value);
      return value;
    }
    return OTHER;
  }
}
