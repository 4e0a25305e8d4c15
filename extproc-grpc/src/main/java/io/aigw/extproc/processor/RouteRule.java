package io.aigw.extproc.processor;

import java.util.List;
import java.util.function.Function;

/**
 * A compiled rule: it matches when any of its alternatives matches (each a conjunction of header
 * conditions; an empty alternative, or no alternatives at all, match every request).
 */
public record RouteRule(
    String name, List<List<HeaderCondition>> matches, List<BackendChoice> backends) {

  public RouteRule {
    matches = matches.stream().map(List::copyOf).toList();
    backends = List.copyOf(backends);
  }

  /**
   * Whether a candidate's backend has token budgets, so requests must be screened for them: a walk
   * over the few candidates, by index, so a request allocates nothing for it.
   */
  public boolean hasQuota() {
    for (int i = 0; i < backends.size(); i++) {
      if (backends.get(i).target().quota().isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the request's headers match this rule; {@code header} gives a lower-case name's value
   * (null when absent), the model header included.
   */
  public boolean test(Function<String, String> header) {
    if (matches.isEmpty()) {
      return true;
    }
    for (List<HeaderCondition> alternative : matches) {
      boolean all = true;
      for (HeaderCondition condition : alternative) {
        if (!condition.test(header)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
