package io.aigw.extproc.processor;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Picks a rule's backend: among the lowest priority value that has a backend not ejected by passive
 * health, a weighted random choice (weight 0 only when every candidate there has weight 0, then
 * uniform). When every backend is ejected the lowest priority is used anyway: a request that may
 * fail beats one that certainly does.
 */
public final class BackendSelector {

  private BackendSelector() {}

  /**
   * @param random a uniform number in [0, 1)
   */
  public static Optional<BackendChoice> select(
      List<BackendChoice> candidates, BackendHealth health, long now, double random) {
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    // one pass, no list, sort or stream: this runs for every request
    long lowest = Long.MAX_VALUE;
    long lowestAvailable = Long.MAX_VALUE;
    boolean anyAvailable = false;
    for (BackendChoice choice : candidates) {
      lowest = Math.min(lowest, choice.priority());
      if ((!anyAvailable || choice.priority() < lowestAvailable)
          && health.isAvailable(choice.target().name(), now)) {
        anyAvailable = true;
        lowestAvailable = choice.priority();
      }
    }
    long priority = anyAvailable ? lowestAvailable : lowest;
    boolean availableOnly = anyAvailable;
    return Optional.of(
        weighted(
            candidates,
            choice ->
                choice.priority() == priority
                    && (!availableOnly || health.isAvailable(choice.target().name(), now)),
            random));
  }

  /** A weighted choice among the {@code choices} that are {@code in} (at least one is). */
  private static BackendChoice weighted(
      List<BackendChoice> choices, Predicate<BackendChoice> in, double random) {
    long total = 0;
    int count = 0;
    for (BackendChoice choice : choices) {
      if (in.test(choice)) {
        total += choice.weight();
        count++;
      }
    }
    if (total == 0) {
      int index = (int) Math.max(0, Math.min(count - 1, Math.floor(random * count)));
      return nth(choices, in, index);
    }
    double point = random * total;
    long cumulative = 0;
    BackendChoice lastWeighted = null;
    for (BackendChoice choice : choices) {
      if (in.test(choice) && choice.weight() > 0) {
        cumulative += choice.weight();
        lastWeighted = choice;
        if (point < cumulative) {
          return choice;
        }
      }
    }
    return lastWeighted;
  }

  private static BackendChoice nth(
      List<BackendChoice> choices, Predicate<BackendChoice> in, int index) {
    int seen = 0;
    for (BackendChoice choice : choices) {
      if (in.test(choice) && seen++ == index) {
        return choice;
      }
    }
    throw new IllegalStateException("fewer than " + (index + 1) + " choices");
  }
}
