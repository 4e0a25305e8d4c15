package io.aigw.extproc.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
    List<Long> priorities =
        candidates.stream().map(BackendChoice::priority).distinct().sorted().toList();
    for (long priority : priorities) {
      List<BackendChoice> available = new ArrayList<>();
      for (BackendChoice choice : candidates) {
        if (choice.priority() == priority && health.isAvailable(choice.target().name(), now)) {
          available.add(choice);
        }
      }
      if (!available.isEmpty()) {
        return Optional.of(weighted(available, random));
      }
    }
    List<BackendChoice> lowest = new ArrayList<>();
    for (BackendChoice choice : candidates) {
      if (choice.priority() == priorities.get(0)) {
        lowest.add(choice);
      }
    }
    return Optional.of(weighted(lowest, random));
  }

  static BackendChoice weighted(List<BackendChoice> choices, double random) {
    long total = 0;
    for (BackendChoice choice : choices) {
      total += choice.weight();
    }
    if (total == 0) {
      int index = (int) Math.min(choices.size() - 1, Math.floor(random * choices.size()));
      return choices.get(Math.max(0, index));
    }
    double point = random * total;
    long cumulative = 0;
    for (BackendChoice choice : choices) {
      cumulative += choice.weight();
      if (point < cumulative) {
        return choice;
      }
    }
    for (int i = choices.size() - 1; i >= 0; i--) {
      if (choices.get(i).weight() > 0) {
        return choices.get(i);
      }
    }
    return choices.get(choices.size() - 1);
  }
}
